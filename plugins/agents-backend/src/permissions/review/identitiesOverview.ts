import { IdentitiesOverview } from '@krate/plugin-agents-common';
import { StoredResource } from '../../resources/ResourceStore';
import { specOf } from './bindingRoles';
import { CatalogDirectory, CatalogEntry } from './CatalogDirectory';
import { OrgAccess } from './OrgAccess';
import { normalSubjectName } from './subjectRefs';

const IDENTITY_SUBJECTS = ['agent', 'runner'];

/**
 * Body of `GET /identities/overview`: the catalog's users and teams (the first
 * CATALOG_PAGE_LIMIT of each, plus any a binding names that the catalog did not list) with the
 * org's bindings naming them, and the org's service accounts with their bindings, grants and
 * stacks.
 */
export async function identitiesOverview(
  org: OrgAccess,
  directory: CatalogDirectory,
): Promise<IdentitiesOverview> {
  const [bindings, accounts, secretGrants, configGrants, stacks] =
    await Promise.all([
      org.bindings(),
      org.list('AgentServiceAccount'),
      org.list('AgentSecretGrant'),
      org.list('AgentConfigGrant'),
      org.list('AgentStack'),
    ]);
  const [users, groups] = await Promise.all([
    directory.list('User'),
    directory.list('Group'),
  ]);
  const bindingsNaming = (kind: string, name: string) =>
    bindings
      .filter(b =>
        specOf(b).subjects.some(
          s =>
            s.kind === kind &&
            (normalSubjectName(kind, s.name) ?? s.name) === name,
        ),
      )
      .map(b => b.metadata.name);
  const withBound = (entries: CatalogEntry[] | undefined, kind: string) => {
    const byRef = new Map((entries ?? []).map(e => [e.ref, e]));
    for (const binding of bindings) {
      for (const s of specOf(binding).subjects) {
        const ref = s.kind === kind && normalSubjectName(kind, s.name);
        if (ref && !byRef.has(ref)) byRef.set(ref, { ref, related: [] });
      }
    }
    return [...byRef.values()];
  };
  const userEntries = withBound(users, 'user');
  const grantsOf = (grants: StoredResource[], account: string) =>
    grants
      .filter(g =>
        (g.spec.subjects as { kind: string; name: string }[]).some(
          s => IDENTITY_SUBJECTS.includes(s.kind) && s.name === account,
        ),
      )
      .map(g => g.metadata.name);

  return {
    users: userEntries.map(user => ({
      ref: user.ref,
      ...(user.displayName ? { displayName: user.displayName } : {}),
      teams: user.related,
      bindings: bindingsNaming('user', user.ref),
    })),
    teams: withBound(groups, 'team').map(team => ({
      ref: team.ref,
      ...(team.displayName ? { displayName: team.displayName } : {}),
      members: [
        ...new Set([
          ...team.related,
          ...userEntries
            .filter(u => u.related.includes(team.ref))
            .map(u => u.ref),
        ]),
      ].sort(),
      bindings: bindingsNaming('team', team.ref),
    })),
    serviceAccounts: accounts.map(account => {
      const { name } = account.metadata;
      const synced = account.status?.synced as boolean | undefined;
      return {
        name,
        purpose: account.spec.purpose as 'agent' | 'runner',
        serviceAccountName: account.spec.serviceAccountName as string,
        ...(synced !== undefined ? { synced } : {}),
        bindings: bindingsNaming('service-account', name),
        secretGrants: grantsOf(secretGrants, name),
        configGrants: grantsOf(configGrants, name),
        stacks: stacks
          .filter(
            s =>
              s.spec.runtimeServiceAccountName === name ||
              (s.spec.runnerPolicy as { serviceAccountName?: string })
                ?.serviceAccountName === name,
          )
          .map(s => s.metadata.name),
      };
    }),
  };
}
