import { htmlDocument } from '../../web/html-document';

/** The key form for browsers: one small page, no script, posts to `/login`. */
export function loginPage(opts: { next: string; message?: string; open?: boolean }): string {
  const message = opts.message ? `<p class="msg" role="alert">${escapeHtml(opts.message)}</p>` : '';
  const body = opts.open
    ? `<p>The API is open (no <code>API_KEYS</code> set): no key is needed.</p>
       <p><a class="btn" href="${escapeHtml(opts.next)}">Continue</a></p>`
    : `<form method="post" action="/login">
         <label for="key">API key</label>
         <input id="key" name="key" type="password" autocomplete="current-password" required autofocus
                placeholder="operator or viewer key">
         <input type="hidden" name="next" value="${escapeHtml(opts.next)}">
         <button type="submit">Sign in</button>
       </form>
       <p class="hint">The key is kept in an HttpOnly cookie for this site only. Dialer keys cannot open the dashboards.</p>`;
  return htmlDocument(
    'Sign in',
    LOGIN_STYLE,
    `<main>
  <h1>prospect-feeder</h1>
  <p class="sub">Sign in to open the dashboards.</p>
  ${message}
  ${body}
</main>`,
  );
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LOGIN_STYLE = `
  :root { color-scheme: light; --ink:#0f172a; --muted:#64748b; --line:#e2e8f0; --accent:#4f46e5; --bad:#dc2626; }
  * { box-sizing: border-box; }
  body { margin:0; min-height:100vh; display:grid; place-items:center; background:#f1f5f9;
         font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); }
  main { width:min(380px,92vw); background:#fff; border:1px solid var(--line); border-radius:14px;
         padding:28px 28px 20px; box-shadow:0 10px 30px rgba(15,23,42,.08); }
  h1 { margin:0 0 4px; font-size:20px; }
  .sub { margin:0 0 20px; color:var(--muted); }
  label { display:block; font-weight:600; margin-bottom:6px; }
  input[type=password] { width:100%; padding:10px 12px; border:1px solid var(--line); border-radius:8px; font:inherit; }
  input[type=password]:focus { outline:2px solid var(--accent); outline-offset:1px; }
  button, .btn { display:inline-block; margin-top:14px; width:100%; padding:10px 12px; border:0; border-radius:8px;
         background:var(--accent); color:#fff; font:inherit; font-weight:600; cursor:pointer; text-align:center; text-decoration:none; }
  .msg { background:#fef2f2; color:var(--bad); border:1px solid #fecaca; border-radius:8px; padding:8px 12px; }
  .hint { color:var(--muted); font-size:13px; margin-top:16px; }
`;
