import { createHash } from 'node:crypto';

/**
 * Orders nodes for one call by rendezvous hashing: every process ranks the nodes the same way
 * for the same call, so a retried originate lands on the node that may already hold the
 * channel (which then answers 409) unless that node is unhealthy. Calls still spread evenly.
 */
export function nodesInPreferenceOrder<Node extends { readonly name: string }>(callId: string, nodes: readonly Node[]): Node[] {
  const score = (node: Node) => createHash('sha1').update(`${callId}\u0000${node.name}`).digest().readUInt32BE(0);
  return [...nodes].map((node) => ({ node, score: score(node) })).sort((a, b) => b.score - a.score).map(({ node }) => node);
}
