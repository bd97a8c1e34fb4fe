// Entry of a histogram worker thread: registers the TypeScript loader, then runs hist-worker-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./hist-worker-main.ts');
