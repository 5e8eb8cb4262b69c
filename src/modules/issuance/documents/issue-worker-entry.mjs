// Entry of a document worker thread: TypeScript is loaded through tsx here because a worker does not inherit the main thread's loader.
import { register } from 'tsx/esm/api';

register();
const { default: issueInWorker } = await import('./issue-in-worker.ts');
export default issueInWorker;
