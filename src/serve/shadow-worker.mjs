// Entry of a shadow worker thread where its code could not be bundled (see shadow-script.ts): registers the TypeScript
// loader, then runs shadow-worker-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./shadow-worker-main.ts');
