// keel/estimator: artifacts are JSON plus typed arrays, encoded with a checksum and decoded bit for bit.
import { decodeArtifact, encodeArtifact } from 'keel/estimator';

const bytes = encodeArtifact({ kind: 'demo', weights: new Float64Array([0.5, -1.25, 3]) });
const back = decodeArtifact<{ kind: string; weights: Float64Array }>(bytes);
console.log(back.kind, Array.from(back.weights), `${bytes.length} bytes`);
if (back.weights[1] !== -1.25) throw new Error('typed arrays round-trip exactly');
