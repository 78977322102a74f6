/**
 * `npm run hosted-emulator -- --port N [--pat KEY]…` (or PORT=N): the Clarifai emulator on 127.0.0.1 until Ctrl-C.
 */
import { startHostedEmulator } from './server.js';

const args = process.argv.slice(2);
const value = (flag: string): string[] => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1]] : a.startsWith(`${flag}=`) ? [a.slice(flag.length + 1)] : []));
const port = Number(value('--port')[0] ?? process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`hosted-emulator: bad port ${String(port)}\n`);
  process.exit(2);
}
const pats = value('--pat');
const emu = await startHostedEmulator({ port, pats: pats.length ? pats : undefined });
process.stdout.write(`Clarifai emulator on ${emu.url} (user "me" = ${emu.userId}; ${pats.length || 1} PAT(s) accepted)\n`);
const stop = () => void emu.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
