import { agentKinds } from './kinds/registry';
import {
  agentsPermissions,
  agentsResourcePermission,
  permissionResourceName,
} from './permissions';

describe('agents permissions', () => {
  it.each([
    ['AgentStack', 'stack'],
    ['AgentToolProfile', 'tool-profile'],
    ['AgentMcpServer', 'mcp-server'],
    ['AgentDispatchRun', 'run'],
    ['AgentTriggerRule', 'rule'],
    ['WorkItemWorkspaceLink', 'work-item-workspace-link'],
  ])('names %s as %s', (kind, name) => {
    expect(permissionResourceName(kind)).toBe(name);
  });

  it('has read/create/update/delete for every kind, as resource permissions', () => {
    for (const { kind } of agentKinds) {
      for (const action of ['read', 'create', 'update', 'delete'] as const) {
        const permission = agentsResourcePermission(kind, action);
        expect(permission).toMatchObject({
          name: `agents.${permissionResourceName(kind)}.${action}`,
          attributes: { action },
          resourceType: 'agents-resource',
        });
      }
    }
    expect(() => agentsResourcePermission('Pod', 'read')).toThrow(
      /unknown kind Pod/,
    );
  });

  it('names every permission once', () => {
    const names = agentsPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'agents.stack.create',
        'agents.run.cancel',
        'agents.approval.decide',
      ]),
    );
  });
});
