/** One polite status line for results that belong to no panel (saved, exported, failed). */
let timer: ReturnType<typeof setTimeout> | undefined;

export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const el = document.getElementById('toast')!;
  el.textContent = message;
  el.dataset.kind = kind;
  el.classList.add('show');
  clearTimeout(timer);
  timer = setTimeout(() => el.classList.remove('show'), kind === 'error' ? 8000 : 3500);
}
