// Entry of a trial worker thread: registers the TypeScript loader, then runs tune-worker-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./tune-worker-main.ts');
