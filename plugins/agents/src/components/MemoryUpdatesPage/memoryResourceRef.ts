/**
 * What memory permissions are decided on: an org's memory is no stored object, the backend
 * stands `AgentMemory:<org>/memory` in for it.
 */
export function memoryResourceRef(org: string): string {
  return `AgentMemory:${org}/memory`;
}
