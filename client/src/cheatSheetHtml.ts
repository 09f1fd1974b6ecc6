/**
 * The cheat-sheet page's HTML: a static skeleton (no catalog text, no document text) that
 * media/cheatsheet.js fills from the messages the extension posts. No `vscode` import, so the tests
 * can render it.
 */
import { randomBytes } from 'node:crypto';

export interface CheatSheetHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** `webview.asWebviewUri(media/cheatsheet.js)`, as a string. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(media/cheatsheet.css)`, as a string. */
  readonly styleUri: string;
  /** Defaults to a fresh `createNonce()`; only tests pass one. */
  readonly nonce?: string;
}

/** 32 random bytes, base64: a new one for every render. */
export function createNonce(): string {
  return randomBytes(32).toString('base64');
}

/**
 * The Content-Security-Policy of the page: nothing but our own stylesheet and our one script by nonce.
 * `form-action` and `base-uri` are named because `default-src` does not cover them.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `form-action 'none'`,
    `base-uri 'none'`,
  ].join('; ');
}

export function cheatSheetHtml(options: CheatSheetHtmlOptions): string {
  const nonce = options.nonce ?? createNonce();
  const csp = contentSecurityPolicy(options.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>Pattern Lens cheat sheet</title>
</head>
<body>
<a class="skip-link" href="#entries-heading" data-target="entries-heading">Skip to entries</a>
<header class="toolbar" id="toolbar">
  <h1>Pattern Lens <span class="subtitle">cheat sheet</span></h1>
  <div class="controls" role="search" aria-label="Filter the cheat sheet">
    <div class="control control-search">
      <label for="search">Search</label>
      <input id="search" type="search" placeholder="Name, id, summary or Python idea" autocomplete="off" spellcheck="false" aria-describedby="count">
    </div>
    <div class="control">
      <label for="category">Category</label>
      <select id="category"><option value="">All categories</option></select>
    </div>
    <div class="control">
      <label for="kind">Kind</label>
      <select id="kind">
        <option value="">All kinds</option>
        <option value="pattern">Patterns</option>
        <option value="gotcha">Gotchas</option>
      </select>
    </div>
  </div>
  <p class="count" id="count" role="status" aria-live="polite">Loading the catalog…</p>
</header>
<main id="main">
  <p class="problem" id="problem" role="alert" hidden></p>
  <section class="in-file" id="in-file" aria-labelledby="in-file-heading">
    <h2 id="in-file-heading">Patterns in this file</h2>
    <p class="in-file-status" id="in-file-status">Waiting for the editor…</p>
    <ol class="in-file-list" id="in-file-list" hidden></ol>
  </section>
  <section class="map" id="map" aria-labelledby="map-heading">
    <h2 id="map-heading">Python → TypeScript</h2>
    <div class="table-wrap">
      <table class="map-table">
        <thead><tr><th scope="col">In Python</th><th scope="col">In TypeScript</th><th scope="col">Category</th></tr></thead>
        <tbody id="map-rows"></tbody>
      </table>
    </div>
  </section>
  <section class="entries" id="entries" aria-labelledby="entries-heading">
    <h2 id="entries-heading" tabindex="-1">Entries</h2>
    <div class="empty" id="empty" hidden>
      <p>No entries match the search and filters.</p>
      <button type="button" id="clear-filters">Clear search and filters</button>
    </div>
    <div class="cards" id="cards"></div>
  </section>
</main>
<script nonce="${attr(nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>
`;
}

/** Escapes a value for a double-quoted HTML attribute. */
export function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
