/**
 * The head every page of the service's own (the queue dashboard, the sign-in form) shares: no
 * icon fetched. `title` and `head` are trusted markup.
 */
export function htmlPage(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · prospect-feeder</title>
<link rel="icon" href="data:,">
${head}
</head>
<body>
${body}
</body>
</html>`;
}

/** A self-contained page: its style inline. */
export function htmlDocument(title: string, style: string, body: string): string {
  return htmlPage(title, `<style>${style}</style>`, body);
}
