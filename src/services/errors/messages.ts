export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * The one message a caller reads for a zod failure: each bad property named by its path (`root`,
 * such as `body`, names the whole input when the input itself is wrong).
 */
export function describeIssues(issues: readonly Issue[], root?: string): string {
  const shown = issues.slice(0, 10).map((i) => {
    const path = i.path.map(String).join('.') || root;
    return path ? `${path}: ${i.message}` : i.message;
  });
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return shown.join('; ');
}

/** Caller text quoted back in a message, cut short: a 100 KB value must not become a 100 KB error. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
