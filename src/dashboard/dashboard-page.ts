import type { ClientAsset, ClientAssets } from './client-assets';
import { htmlPage } from '../web/html-document';

/** Where the client's hashed files are served (queue-dashboard.ts). */
export const ASSETS_PATH = '/dashboard/assets';

/**
 * The queue dashboard's HTML: the empty frame the client (src/dashboard/client) fills in, and its
 * script and stylesheet by hashed URL, each carrying the response's CSP nonce and its SRI hash.
 */
export function dashboardPage(assets: ClientAssets, nonce: string): string {
  const ref = (attr: 'href' | 'src', a: ClientAsset) => `${attr}="${ASSETS_PATH}/${a.name}" integrity="${a.integrity}" nonce="${nonce}"`;
  return htmlPage(
    'Queue dashboard',
    `<link rel="stylesheet" ${ref('href', assets.style)}>`,
    `<header class="top">
  <div class="brand"><span class="logo">▲</span>prospect-feeder <small>Queue dashboard</small></div>
  <span class="spacer"></span>
  <div class="live"><span id="live-dot" class="dot"></span><span id="updated">Loading…</span></div>
  <span id="role" class="role" hidden></span>
  <nav><a href="/admin/queues">Job dashboard</a><a href="/docs">API docs</a><a id="signout" href="/logout" hidden>Sign out</a></nav>
</header>
<main>
  <div id="banner" class="banner" role="alert" hidden></div>
  <section id="summary" class="summary" aria-label="Summary"></section>
  <section id="grid" aria-label="Skills"></section>
  <section id="dnc" class="dnc" aria-label="Do-not-call"></section>
</main>
<div id="drawer"></div>
<div id="tooltip" class="tooltip"></div>
<div id="toasts" class="toast-wrap" aria-live="polite"></div>
<script ${ref('src', assets.script)}></script>`,
  );
}
