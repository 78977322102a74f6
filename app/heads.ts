/** Head versions: the active one survives reloads (its id in localStorage); one deleted meanwhile is dropped. */
import { getHeadRecord } from '../src/index.js';
import { state } from './state.js';

export async function restoreActiveHead(): Promise<void> {
  const id = state.activeHeadId;
  if (!id) return;
  try {
    await activate(id);
  } catch {
    state.setActive(null, null); // deleted in another tab
  }
}

export async function activate(id: string | null): Promise<void> {
  const rec = id ? await getHeadRecord(id, state.ds) : null;
  state.setActive(id, rec?.head ?? null, rec?.name);
}
