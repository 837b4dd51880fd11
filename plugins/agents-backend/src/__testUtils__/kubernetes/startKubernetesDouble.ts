import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import {
  selfSubjectAccessReviewHandler,
  subjectAccessReviewHandler,
} from './accessReviews';
import { Authenticator } from './Authenticator';
import {
  crdBehaviour,
  namespaceBehaviour,
  secretBehaviour,
} from './builtinBehaviours';
import { builtinResources } from './builtinResources';
import { collectDependents, finalizeNamespaces } from './clusterControllers';
import { KindBehaviour } from './KindBehaviour';
import { KubeObject } from './kubeObjects';
import { writeKubeconfig } from './kubeconfigFiles';
import { KubernetesApiServer, SpecialHandler } from './KubernetesApiServer';
import { ObjectStore } from './ObjectStore';
import { podBehaviour } from './podBehaviour';
import { podLogHandler } from './podLogHandler';
import { PodRunner } from './PodRunner';
import { bootstrapPolicy, RbacAuthorizer } from './RbacAuthorizer';
import { ResourceOperations } from './ResourceOperations';
import { ResourceRegistry } from './ResourceRegistry';
import { createServingCertificate } from './servingCertificate';
import { WatchHub } from './WatchHub';

export interface KubernetesDoubleOptions {
  /** Interval of BOOKMARK events on watches that ask allowWatchBookmarks=true; default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** How many change events the watch history keeps before older RVs answer 410; default 10000. */
  historyLimit?: number;
  /** Install the agents CRDs from plugins/agents-common/crds at start; default false. */
  installAgentsCrds?: boolean;
}

export interface KubernetesDouble {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** A kubeconfig file (for kubectl) for the cluster-admin user `admin`. */
  readonly kubeconfigPath: string;
  /** client-node config for cluster-admin (user `admin`, group system:masters). */
  kubeConfig(): KubeConfig;
  /** A config (and kubeconfig file) authenticating as `user` with `groups`: RBAC applies to it. */
  kubeConfigFor(
    user: string,
    groups?: string[],
  ): { kubeConfig: KubeConfig; kubeconfigPath: string };
  /** Forgets history so every watch from an older resourceVersion answers 410 Gone. */
  compact(): void;
  /** Closes every open watch connection from the server side (clients must re-watch). */
  dropWatches(): void;
  /** Makes the server answer 503 to everything (`true`) or serve again (`false`). */
  setUnavailable(unavailable: boolean): void;
  /** Requests served so far, e.g. for asserting a dry-run did not write: method + path + query. */
  readonly requests: { method: string; path: string; query: string }[];
  stop(): Promise<void>;
}

/** Where the agents CRDs live, relative to this file. */
export const AGENTS_CRDS_DIR = path.resolve(
  __dirname,
  '../../../../agents-common/crds',
);

const INITIAL_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/** Reads every YAML document of the files in a folder (or of one file). */
export function readManifests(location: string): KubeObject[] {
  const files = fs.statSync(location).isDirectory()
    ? fs
        .readdirSync(location)
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
        .map(f => path.join(location, f))
    : [location];
  return files.flatMap(file =>
    parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(document => document.toJS() as KubeObject | null)
      .filter((object): object is KubeObject => Boolean(object)),
  );
}

/**
 * Starts an in-process Kubernetes API server double on 127.0.0.1 (plain HTTP, bearer tokens)
 * that client-node and kubectl 1.20 talk to as to a real cluster. See README.md for its limits.
 */
export async function startKubernetesDouble(
  options: KubernetesDoubleOptions = {},
): Promise<KubernetesDouble> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'krate-kube-double-'));
  const registry = new ResourceRegistry();
  builtinResources().forEach(type => registry.register(type));
  const store = new ObjectStore(options.historyLimit ?? 10_000);
  const behaviours = new Map<string, KindBehaviour>();
  const operations = new ResourceOperations(store, behaviours);
  const namespaces = finalizeNamespaces(registry, store, operations);
  const typeOf = (group: string, resource: string) =>
    registry.all().find(t => t.group === group && t.resource === resource)!;

  behaviours.set(
    'apiextensions.k8s.io/customresourcedefinitions',
    crdBehaviour(registry, store),
  );
  behaviours.set('/secrets', secretBehaviour());
  behaviours.set(
    '/namespaces',
    namespaceBehaviour(store, {
      created: namespace =>
        operations.create(
          {
            type: typeOf('', 'serviceaccounts'),
            namespace: namespace.metadata.name,
          },
          { metadata: { name: 'default' } },
          false,
        ),
      terminating: namespaces.finalize,
    }),
  );
  operations.onOwnerRemoved(collectDependents(registry, store, operations));

  const authenticator = new Authenticator();
  const authorizer = new RbacAuthorizer(store);
  let httpsPort = 0;
  let caCertificate = '';
  const podType = typeOf('', 'pods');
  const runner = new PodRunner({
    store,
    folder: path.join(folder, 'pods'),
    writePod: pod => operations.writeInternal(podType, pod),
    removePod: pod => operations.remove(podType, pod),
    serviceAccountToken: (namespace, name) =>
      authenticator.issue(`system:serviceaccount:${namespace}:${name}`, [
        'system:serviceaccounts',
        `system:serviceaccounts:${namespace}`,
      ]),
    apiServerPort: () => httpsPort,
    caCertificate: () => caCertificate,
  });
  behaviours.set('/pods', podBehaviour(store, runner));
  const specialHandlers = new Map<string, SpecialHandler>([
    ['/pods/log', podLogHandler(operations, runner)],
    [
      'authorization.k8s.io/selfsubjectaccessreviews',
      selfSubjectAccessReviewHandler(authorizer),
    ],
    [
      'authorization.k8s.io/subjectaccessreviews',
      subjectAccessReviewHandler(authorizer, 'SubjectAccessReview'),
    ],
    [
      'authorization.k8s.io/localsubjectaccessreviews',
      subjectAccessReviewHandler(authorizer, 'LocalSubjectAccessReview'),
    ],
  ]);
  const watches = new WatchHub(store, options.bookmarkIntervalMs ?? 1000);
  const apiServer = new KubernetesApiServer({
    registry,
    operations,
    watches,
    authenticator,
    authorizer,
    specialHandlers,
  });

  for (const name of INITIAL_NAMESPACES) {
    operations.create(
      { type: typeOf('', 'namespaces') },
      { metadata: { name } },
      false,
    );
  }
  for (const { resource, object } of bootstrapPolicy()) {
    operations.create(
      { type: typeOf('rbac.authorization.k8s.io', resource) },
      object,
      false,
    );
  }
  if (options.installAgentsCrds) {
    for (const crd of readManifests(AGENTS_CRDS_DIR)) {
      operations.create(
        { type: typeOf('apiextensions.k8s.io', 'customresourcedefinitions') },
        crd,
        false,
      );
    }
  }

  const certificate = await createServingCertificate(folder);
  const servers = [
    http.createServer(apiServer.handle),
    https.createServer(certificate, apiServer.handle),
  ];
  const [httpPort, tlsPort] = await Promise.all(
    servers.map(
      server =>
        new Promise<number>(resolve =>
          server.listen(0, '127.0.0.1', () =>
            resolve((server.address() as AddressInfo).port),
          ),
        ),
    ),
  );
  httpsPort = tlsPort;
  caCertificate = certificate.cert;
  const url = `http://127.0.0.1:${httpPort}`;
  const endpoints = {
    httpUrl: url,
    httpsUrl: `https://127.0.0.1:${httpsPort}`,
    caCertificate,
  };
  const admin = writeKubeconfig(
    folder,
    endpoints,
    'admin',
    authenticator.issue('admin', ['system:masters']),
  );

  return {
    url,
    kubeconfigPath: admin.kubeconfigPath,
    requests: apiServer.requests,
    kubeConfig: () => {
      const copy = new KubeConfig();
      copy.loadFromString(admin.kubeConfig.exportConfig());
      return copy;
    },
    kubeConfigFor: (user, groups = []) =>
      writeKubeconfig(
        folder,
        endpoints,
        user,
        authenticator.issue(user, groups),
      ),
    compact: () => store.compact(),
    dropWatches: () => watches.dropAll(),
    setUnavailable: unavailable => {
      apiServer.unavailable = unavailable;
    },
    stop: async () => {
      namespaces.stop();
      watches.dropAll();
      await runner.stopAll();
      await Promise.all(
        servers.map(server => {
          server.closeAllConnections();
          return new Promise<void>(resolve => server.close(() => resolve()));
        }),
      );
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
