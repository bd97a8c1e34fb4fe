// Entry of the CSV helper thread: registers the TypeScript loader, then runs parse-worker-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker-main.ts');
