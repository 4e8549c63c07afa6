/**
 * Light and dark colours as custom properties, set on a root element's host (`<twirl-app>`,
 * `<twirl-playground>`) and inherited by every panel inside it. Dark follows
 * `prefers-color-scheme` unless the host's `theme` attribute says `light` or `dark`.
 */
import { css, unsafeCSS } from 'lit';

const light = `
  color-scheme: light;
  --tw-bg: #ffffff; --tw-fg: #222222; --tw-muted: #5c6066; --tw-border: #d0d4da; --tw-rule: #e6e8eb;
  --tw-bar: #f6f8fa; --tw-control: #ffffff; --tw-control-border: #9aa0a6; --tw-code: #f3f4f6;
  --tw-accent: #3557d6; --tw-primary: #3557d6; --tw-on-primary: #ffffff; --tw-focus: #1a5fd6;
  --tw-selected: #dbe7ff; --tw-hover: #eef3ff;
  --tw-error: #b00020; --tw-warning: #8a5c00; --tw-ok: #1a7f37; --tw-tag: #2f6a1e;
  --tw-problem-bg: #fde7e9; --tw-problem-fg: #8a1020; --tw-notice-bg: #e8f0fe; --tw-notice-fg: #1a3d8f;
  --tw-note-bg: #fff8e1; --tw-note-fg: #6b4e00; --tw-share-bg: #eef7ee;
`;

const dark = `
  color-scheme: dark;
  --tw-bg: #1b1d21; --tw-fg: #e4e6ea; --tw-muted: #a4a9b1; --tw-border: #3b3f46; --tw-rule: #2e3137;
  --tw-bar: #23262b; --tw-control: #2a2d33; --tw-control-border: #6b7079; --tw-code: #25282d;
  --tw-accent: #8ab4f8; --tw-primary: #3557d6; --tw-on-primary: #ffffff; --tw-focus: #8ab4f8;
  --tw-selected: #2c3d63; --tw-hover: #262f42;
  --tw-error: #ff8a8a; --tw-warning: #e3b341; --tw-ok: #5bd47a; --tw-tag: #8fd18a;
  --tw-problem-bg: #3e1d23; --tw-problem-fg: #ffb4bd; --tw-notice-bg: #1d2b47; --tw-notice-fg: #bcd0fc;
  --tw-note-bg: #3a3218; --tw-note-fg: #f3d98b; --tw-share-bg: #1d3323;
`;

/** The colour tokens; a root element puts this first in its styles. */
export const themeTokens = css`
  :host { ${unsafeCSS(light)} }
  @media (prefers-color-scheme: dark) { :host(:not([theme='light'])) { ${unsafeCSS(dark)} } }
  :host([theme='dark']) { ${unsafeCSS(dark)} }
`;

/** A focus ring that shows on keyboard focus, for every shadow root (outlines do not inherit). */
export const focusRing = css`
  :focus-visible { outline: 2px solid var(--tw-focus); outline-offset: 1px; }
`;

export type Theme = 'light' | 'dark';

const THEME_KEY = 'twirl.theme';

/** The theme the reader chose on this device, if any. */
export function rememberedTheme(): Theme | undefined {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined; // storage blocked (a sandboxed or private context): follow the system
  }
}

export function rememberTheme(theme: Theme): void {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not remembered, still applied.
  }
}

/** Whether the page shows dark: the chosen theme, else the system's. */
export const isDark = (chosen: Theme | undefined): boolean => (chosen ? chosen === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches);
