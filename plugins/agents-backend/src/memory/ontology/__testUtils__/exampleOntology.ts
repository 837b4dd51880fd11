/** The ontology of the brief's example, shared by the tests. */
export const EXAMPLE_ONTOLOGY = `
nodeKinds:
  service:
    description: A deployable service
    required: [owner]
    fields:
      owner: entityRef
      tier: string
      launched: date
      stewards: entityRefList
  team: { required: [owner] }
  runbook: {}
  decision: { required: [status], fields: { status: { enum: [proposed, accepted, superseded] } } }
edgeKinds:
  owns: { from: [team], to: [service, runbook] }
  depends-on: { from: [service], to: [service] }
  supersedes: { from: [decision], to: [decision] }
  documented-in: { from: ['*'], to: [runbook, document] }
`;
