/**
 * The step tabs (WAI-ARIA tabs pattern): the hash names the open panel, so a reload or a link keeps the place;
 * arrow keys move between tabs. Panels are told when they are shown, so they refresh only when visible.
 */
const TABS = ['data', 'label', 'train', 'evaluate', 'export', 'model', 'hosted'] as const;
export type Tab = (typeof TABS)[number];

const shown = new Map<Tab, (() => void)[]>();

/** `fn` runs every time `tab` is opened. */
export function onShow(tab: Tab, fn: () => void): void {
  shown.set(tab, [...(shown.get(tab) ?? []), fn]);
}

export function currentTab(): Tab {
  const h = location.hash.slice(1) as Tab;
  return TABS.includes(h) ? h : 'data';
}

function select(tab: Tab, focus = false): void {
  for (const t of TABS) {
    const button = document.getElementById(`tab-${t}`)!;
    const on = t === tab;
    button.setAttribute('aria-selected', String(on));
    button.tabIndex = on ? 0 : -1;
    document.getElementById(`panel-${t}`)!.hidden = !on;
    if (on && focus) button.focus();
  }
  document.body.dataset.tab = tab;
  for (const fn of shown.get(tab) ?? []) fn();
}

export function openTab(tab: Tab): void {
  if (location.hash !== `#${tab}`) history.replaceState(null, '', `#${tab}`);
  select(tab);
}

export function initTabs(): void {
  for (const t of TABS) document.getElementById(`tab-${t}`)!.addEventListener('click', () => openTab(t));
  document.querySelector('[role=tablist]')!.addEventListener('keydown', (ev) => {
    const e = ev as KeyboardEvent;
    const i = TABS.indexOf(currentTab());
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length];
    history.replaceState(null, '', `#${tab}`);
    select(tab, true);
  });
  window.addEventListener('hashchange', () => select(currentTab()));
  select(currentTab());
}
