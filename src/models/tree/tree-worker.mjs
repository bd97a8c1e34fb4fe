// Entry of a forest worker thread: registers the TypeScript loader, then runs tree-worker-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./tree-worker-main.ts');
