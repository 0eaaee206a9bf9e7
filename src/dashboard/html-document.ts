/**
 * The head every page of the service's own (the queue dashboard, the sign-in form) shares: one
 * self-contained document, its style inline, no icon fetched. `title` is trusted text.
 */
export function htmlDocument(title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · prospect-feeder</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>`;
}
