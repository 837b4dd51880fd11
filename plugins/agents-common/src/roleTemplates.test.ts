import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { agentKinds } from './kinds/registry';
import { agentsPermissions, agentsResourcePermission } from './permissions';
import { agentsRoleTemplates, findRoleTemplate } from './roleTemplates';

const permissionsOf = (name: string) =>
  new Set(findRoleTemplate(name)!.permissions);

describe('role templates', () => {
  it('ships the five roles, each naming only real permissions', () => {
    expect(agentsRoleTemplates.map(t => t.name)).toEqual([
      'krate-agents-viewer',
      'krate-agents-dispatcher',
      'krate-agents-approver',
      'krate-agents-author',
      'krate-agents-admin',
    ]);
    const known = new Set(agentsPermissions.map(p => p.name));
    for (const template of agentsRoleTemplates) {
      expect(template.permissions.filter(p => !known.has(p))).toEqual([]);
      expect(new Set(template.permissions).size).toBe(
        template.permissions.length,
      );
    }
  });

  it('gives the viewer every read and nothing else', () => {
    const viewer = permissionsOf('krate-agents-viewer');
    for (const { kind } of agentKinds) {
      expect(viewer).toContain(agentsResourcePermission(kind, 'read').name);
    }
    expect(viewer).toContain('agents.memory.read');
    expect([...viewer].filter(p => !p.endsWith('.read'))).toEqual([]);
  });

  it('builds every role on the viewer', () => {
    const viewer = permissionsOf('krate-agents-viewer');
    for (const template of agentsRoleTemplates) {
      expect(template.permissions).toEqual(expect.arrayContaining([...viewer]));
    }
  });

  it('lets the dispatcher run and the approver decide, not the other way round', () => {
    const dispatcher = permissionsOf('krate-agents-dispatcher');
    const approver = permissionsOf('krate-agents-approver');
    for (const name of [
      'agents.run.create',
      'agents.run.cancel',
      'agents.run.retry',
      'agents.run.continue',
      'agents.workspace.action',
    ]) {
      expect(dispatcher).toContain(name);
      expect(approver).not.toContain(name);
    }
    for (const name of [
      'agents.approval.decide',
      'agents.artifact.write-back',
    ]) {
      expect(approver).toContain(name);
      expect(dispatcher).not.toContain(name);
    }
  });

  it('lets the author write configuration but not identities, bindings or grants', () => {
    const author = permissionsOf('krate-agents-author');
    for (const kind of [
      'AgentStack',
      'AgentTriggerRule',
      'AgentToolProfile',
      'AgentMcpServer',
      'AgentSkill',
      'AgentSubagent',
      'AgentContextLabel',
      'AgentWorkspacePolicy',
    ]) {
      for (const action of ['create', 'update', 'delete'] as const) {
        expect(author).toContain(agentsResourcePermission(kind, action).name);
      }
    }
    for (const kind of [
      'AgentServiceAccount',
      'AgentRoleBinding',
      'AgentSecretGrant',
      'AgentConfigGrant',
      'AgentDispatchRun',
    ]) {
      expect(author).not.toContain(
        agentsResourcePermission(kind, 'create').name,
      );
    }
  });

  it('gives the admin everything', () => {
    expect(permissionsOf('krate-agents-admin')).toEqual(
      new Set(agentsPermissions.map(p => p.name)),
    );
    expect(findRoleTemplate('krate-agents-owner')).toBeUndefined();
  });

  it('matches the native ClusterRoles of deploy/kubernetes on the custom resource kinds', () => {
    const file = path.resolve(
      __dirname,
      '../../../deploy/kubernetes/agents-role-templates.yaml',
    );
    const roles = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(
      d => d.toJS() as any,
    );
    const crdKinds = agentKinds.filter(k => k.category === 'configuration');
    const VERBS = {
      read: ['get', 'list', 'watch'],
      create: ['create'],
      update: ['update', 'patch'],
      delete: ['delete'],
    } as const;
    const expected = (template: (typeof agentsRoleTemplates)[number]) => {
      const verbs: Record<string, string[]> = {};
      for (const { kind, plural } of crdKinds) {
        const granted = (['read', 'create', 'update', 'delete'] as const)
          .filter(action =>
            template.permissions.includes(
              agentsResourcePermission(kind, action).name,
            ),
          )
          .flatMap(action => VERBS[action]);
        if (granted.length) verbs[plural] = granted.sort();
      }
      return verbs;
    };
    const actual = (role: any) => {
      const verbs: Record<string, Set<string>> = {};
      for (const rule of role.rules) {
        expect(rule.apiGroups).toEqual(['agents.krate.dev']);
        for (const resource of rule.resources) {
          verbs[resource] ??= new Set();
          rule.verbs.forEach((v: string) => verbs[resource].add(v));
        }
      }
      return Object.fromEntries(
        Object.entries(verbs).map(([r, v]) => [r, [...v].sort()]),
      );
    };
    expect(roles.map(r => r.metadata.name)).toEqual(
      agentsRoleTemplates.map(t => t.name),
    );
    for (const template of agentsRoleTemplates) {
      const role = roles.find(r => r.metadata.name === template.name);
      expect({ [template.name]: actual(role) }).toEqual({
        [template.name]: expected(template),
      });
    }
  });
});
