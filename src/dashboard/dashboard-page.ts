import { DASHBOARD_SCRIPT } from './dashboard-script';
import { DASHBOARD_STYLE } from './dashboard-style';
import { htmlDocument } from './html-document';

/** The queue dashboard: one self-contained page (inline style and script, nothing fetched but JSON). */
export function dashboardPage(): string {
  return htmlDocument(
    'Queue dashboard',
    DASHBOARD_STYLE,
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
</main>
<div id="drawer"></div>
<div id="tooltip" class="tooltip"></div>
<div id="toasts" class="toast-wrap" aria-live="polite"></div>
<script>${DASHBOARD_SCRIPT}</script>`,
  );
}
