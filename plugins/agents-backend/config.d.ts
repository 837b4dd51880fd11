export interface Config {
  /** Krate Agents. */
  agents?: {
    bootstrap?: {
      /**
       * YAML files or folders of agents resources to create on start when they do not exist yet
       * (existing objects are never overwritten). The embedded demo seeds examples/agents.
       */
      resources?: string[];
    };
    changeFeed?: {
      /**
       * How many resource versions of changes stay watchable; a watch from an older version is
       * told to list again (410 Expired). Default 100000.
       */
      retainChanges?: number;
    };
    permissions?: {
      /**
       * How long a user's permission decision (per permission) is reused, in seconds (default 10;
       * 0 asks the permission backend on every request). A change to the policy or to a user's
       * ownership reaches this plugin within that time.
       */
      decisionCacheSeconds?: number;
    };
    /**
     * Webhook endpoints, `POST /api/agents/webhooks/<name>`: signed deliveries are evaluated
     * against the active AgentTriggerRules of their org, which dispatch runs.
     */
    webhooks?: Array<{
      /** The endpoint's name in the URL and in `WebhookDelivery.spec.source`. */
      name: string;
      /**
       * `github` (default): GitHub's headers and payloads, which Gitea also sends; the org is the
       * owner in `repository.full_name`. `generic`: any JSON object, event type `webhook`.
       */
      type?: 'github' | 'generic';
      /**
       * The HMAC-SHA256 key deliveries are signed with (`X-Hub-Signature-256: sha256=<hex>` or
       * `X-Gitea-Signature: <hex>`); at least 16 characters.
       * @visibility secret
       */
      secret: string;
      /** For a `generic` endpoint: the org whose rules its deliveries go to. */
      namespace?: string;
    }>;
    webhookPayloads?: {
      /**
       * How many days the raw body of each webhook delivery is kept, so the delivery can be
       * replayed (default 7). Payloads carry issue and pull request text; keep them short.
       */
      retentionDays?: number;
    };
    triggers?: {
      schedules?: {
        /**
         * How often, in seconds, one backend instance looks for due slots of schedule trigger
         * rules (default 30).
         */
        tickSeconds?: number;
        /**
         * How old, in seconds, a slot may be when its tick comes and still fire on time
         * (default 120); older slots are missed and follow the rule's
         * `spec.source.missedSchedule`.
         */
        graceSeconds?: number;
      };
    };
    signals?: {
      /**
       * Whether changes are announced on the `agents:changes` signals channel (default true).
       * Signals carry the kind, org and name of what changed, and every signed-in user receives
       * them; turn them off where resource names must stay within their org, and pages poll.
       */
      enabled?: boolean;
    };
    /**
     * Repositories agents work on, besides those catalog entities declare with the
     * `agents.krate.dev/repository` annotation and a `backstage.io/source-location`. Each is
     * cloned once into a bare cache (`repositoryCache.directory`) and fetched on demand; run
     * workspaces are git worktrees of the cache. A clone under `workspaces.repositoryRoots` with
     * the same name is used instead.
     */
    repositories?: Array<{
      /** `<org>/<repository>`; the org is the namespace of its agent resources. */
      name: string;
      /**
       * Where to clone it from: `https://`, `http://`, `ssh://`, `git://`, `file://`,
       * `user@host:path`, or a local path (relative to the backend's working directory).
       * Set this or `directory`.
       */
      url?: string;
      /**
       * A folder of plain files (not a git repository) that is committed into a local repository
       * under the cache on start, with a fixed author and date, and cloned from there: for offline
       * demos. A change of the folder becomes a new commit on the next start.
       */
      directory?: string;
      /** The branch a run without a ref starts from. Default: the remote's HEAD. */
      defaultBranch?: string;
      /**
       * A token for an `https://` or `http://` `url` of a private repository, e.g. `${GIT_TOKEN}`,
       * sent as HTTP basic credentials with `username`. git gets it only through the environment
       * of its process, as a header for the url's host; it never appears in arguments, the
       * cache's remote URL, logs, errors or responses. Without it, a `github` or `gitlab` entry of
       * `integrations` with a `token` for the url's host is used.
       * @visibility secret
       */
      token?: string;
      /**
       * The user name sent with `token`. Default `x-access-token` (GitHub; GitLab, Gitea and
       * Azure DevOps accept any name with a token; Bitbucket needs the account's).
       */
      username?: string;
    }>;
    /**
     * Each org's configuration repository: where the portal's "Open a pull request" puts a
     * configuration object's YAML (`<path>/<Kind>/<name>.yaml` on a new branch, with a pull
     * request where a forge write-back target is installed), for GitOps review.
     */
    configurationRepositories?: Array<{
      /** The org (namespace) whose configuration it holds. */
      org: string;
      /** `<org>/<repository>`, declared in `agents.repositories` or by a catalog entity. */
      repository: string;
      /** The folder manifests go to. Default `agents`. */
      path?: string;
      /** The branch proposals build on and merge into. Default: the remote's HEAD. */
      base?: string;
    }>;
    /** Each org's company-brain memory: a git repository of Markdown records (docs/memory.md). */
    memory?: {
      orgs?: Array<{
        /** The org (namespace) whose memory it is. */
        org: string;
        /** A git repository on this machine, bare or with a work tree. Set this or `directory`. */
        path?: string;
        /**
         * A folder of plain files committed into a local repository under
         * `$KRATE_DATA_DIR/memory` on start, with a fixed author and date: for offline demos.
         */
        directory?: string;
        /** The branch reads default to. Default: the repository's HEAD (`main` when seeded). */
        branch?: string;
      }>;
      /**
       * Whether the person who proposed a memory update may also approve it. Default false: a
       * second person reviews every change; the embedded demo, with one user, turns it on.
       */
      allowSelfReview?: boolean;
    };
    repositoryCache?: {
      /**
       * Folder of the bare repository caches, `<org>/<repository>.git`. Default:
       * `$KRATE_DATA_DIR/repositories-cache` (or `<os tmpdir>/repositories-cache`).
       */
      directory?: string;
      /** A repository is fetched at most once per this many seconds. Default 60. */
      fetchIntervalSeconds?: number;
      /** The catalog is asked for repositories at most once per this many seconds. Default 60. */
      catalogRefreshSeconds?: number;
    };
    workspaces?: {
      /**
       * Directory that agent workspaces (git worktrees) are created under. Workspace actions
       * never create, link for editing or delete anything outside it, and a symlinked root is
       * refused. An AgentWorkspacePolicy's provisioning.root must lie inside it. Default:
       * `$KRATE_DATA_DIR/workspaces`, or `<os tmpdir>/workspaces` without KRATE_DATA_DIR.
       */
      root?: string;
      /**
       * Folders whose git repositories workspaces may be provisioned from; anything else is
       * refused, so an API caller cannot branch from any repository on the host. Default:
       * `$KRATE_DATA_DIR/repositories` (or `<os tmpdir>/repositories`).
       */
      repositoryRoots?: string[];
    };
    dispatch?: {
      /** Attempts one backend instance drives at once. Default 8. */
      concurrency?: number;
      /**
       * Seconds an instance's claim on an attempt lasts without renewal; after an instance dies,
       * another recovers its attempts once this has passed. Default 30.
       */
      leaseDurationSeconds?: number;
      /** How often an idle instance looks for queued attempts, in milliseconds. Default 1000. */
      pollIntervalMs?: number;
      /**
       * Directory of the scratch working directories of runs without a workspace. Default:
       * `$KRATE_DATA_DIR/runs` (or `<os tmpdir>/runs`).
       */
      runsRoot?: string;
    };
    approvals?: {
      /** Minutes until a pending approval expires (and counts as rejected). Default 60. */
      expireAfterMinutes?: number;
    };
    /** Budgets (AgentBudget) and what runs cost (docs/budgets.md). */
    budgets?: {
      /**
       * The organisation's model prices. An attempt on a stack whose model is listed costs its
       * tokens at this price, whatever its runtime reports; other attempts cost what their
       * runtime reports. Estimates without run history price the prompt with it.
       */
      modelPrices?: Array<{
        /** The model name as stacks give it in spec.model. */
        model: string;
        /** USD per million input tokens. */
        inputUsdPerMillionTokens: number;
        /** USD per million output tokens. */
        outputUsdPerMillionTokens: number;
      }>;
    };
    /** Health probes of AgentMcpServers (docs/mcp.md). */
    mcp?: {
      /** Seconds between rounds that probe every server of every org. Default 300. */
      probeIntervalSeconds?: number;
      /** Seconds one probe may take, from connecting to the last page of tools. Default 10. */
      probeTimeoutSeconds?: number;
      /**
       * Whether stdio servers are probed, which starts their command on the backend's host with
       * their granted environment. Default true; when false they stay Unknown.
       */
      probeStdio?: boolean;
    };
    writeBack?: {
      /**
       * Seconds an instance holds a write-back it applies; after an instance dies, another takes
       * the write-back over (and finds what it already wrote) once this has passed. Default 120.
       */
      leaseSeconds?: number;
    };
    /**
     * Kubernetes mode: the configuration kinds live in a cluster as custom resources (the CRDs
     * of plugins/agents-common/crds), RBAC intent is projected to native objects and runner
     * pools of kind `pod` run attempts as Pods. Absent: embedded mode (everything in the
     * database, attempts on this host). See docs/kubernetes.md.
     */
    kubernetes?: {
      /** Set false to keep the block but run embedded. Default true when the block is present. */
      enabled?: boolean;
      /** Which cluster; default the kubeconfig's current context (KUBECONFIG or ~/.kube/config). */
      cluster?: {
        /**
         * A cluster of the Backstage Kubernetes plugin's own config
         * (`kubernetes.clusterLocatorMethods[type=config].clusters[].name`, authProvider
         * `serviceAccount`), so one block serves both plugins.
         */
        name?: string;
        /** Use the pod's service account (the backend runs in the cluster). */
        inCluster?: boolean;
        /** Path of a kubeconfig file. */
        kubeconfig?: string;
        /** Context of that kubeconfig; default its current context. */
        context?: string;
      };
      /** Org → cluster namespace; an org not listed uses the namespace of its own name. */
      namespaces?: { [org: string]: string };
      /** The configuration kinds kept in the cluster, e.g. [AgentStack]; default all of them. */
      kinds?: string[];
      /** Project AgentServiceAccounts, AgentRoleBindings and grants to native RBAC; default true. */
      rbacProjection?: boolean;
      /**
       * Let an AgentRoleBinding annotated `agents.krate.dev/scope: cluster` become a
       * ClusterRoleBinding; default false (it is then reported as not projected).
       */
      allowClusterScope?: boolean;
      /** Runner pools: a stack's `runnerPolicy.pool` naming one runs its attempts as Pods. */
      runnerPools?: Array<{
        name: string;
        /** The only kind: `pod`. */
        kind: 'pod';
        /** Namespace the pods run in. */
        namespace: string;
        /** Image with this package's `krate-agent-runner`, git and the agent CLIs. */
        image: string;
        /** The container's command; default `[krate-agent-runner]`. */
        command?: string[];
        /** Container resources, e.g. `{ limits: { cpu: '2', memory: 4Gi } }`. */
        resources?: {
          requests?: { [name: string]: string };
          limits?: { [name: string]: string };
        };
        /**
         * The volume holding the backend's folder `path` (where workspaces and run folders
         * live), mounted in the pod at the same path: a ReadWriteMany claim or a host path.
         */
        workspaceVolume: {
          path: string;
          persistentVolumeClaim?: string;
          hostPath?: string;
        };
        /** Seconds a cancelled pod gets to stop; default 10. */
        terminationGracePeriodSeconds?: number;
        imagePullSecrets?: string[];
        /**
         * The backend's base URL as the pods reach it, e.g. `http://krate-backend.krate:7007`;
         * default `backend.baseUrl`. The in-pod runner reads its approvals' decisions there.
         */
        backendUrl?: string;
      }>;
    };
    /**
     * The embedded mode's secret source (`config`): per org, named Secrets and ConfigMaps with
     * their keys, e.g. `acme: { secrets: { github-mcp: { token: ${GITHUB_MCP_TOKEN} } } }`.
     * Take values from the environment with `${VAR}` substitution. A value is injected only into
     * a consumer that a live AgentSecretGrant/AgentConfigGrant gives it to, and never shown
     * (the secret inventory lists names and keys). See docs/secrets.md.
     */
    secrets?: {
      [org: string]: {
        /** Secret name → key → value. */
        secrets?: {
          [name: string]: {
            /** @visibility secret */
            [key: string]: string;
          };
        };
        /** ConfigMap name → key → value (configuration, not secret, but still only granted). */
        configMaps?: {
          [name: string]: {
            [key: string]: string;
          };
        };
      };
    };
    runtimes?: {
      /** Settings shared by the CLI runtimes (claude-code, codex). */
      cli?: {
        /**
         * Folder the pinned CLIs are installed into, one sub-folder per `<name>-<version>`.
         * Default: `$XDG_CACHE_HOME/krate-agents/clis`, else `~/.cache/krate-agents/clis`.
         */
        cacheDir?: string;
        /**
         * Folder that keeps CLI session transcripts between attempts, so resume, continue and
         * fork attempts find them (each attempt runs with a fresh, deleted-after config folder).
         * Default: `$KRATE_DATA_DIR/agent-cli-sessions`, or `<os tmpdir>/agent-cli-sessions`.
         */
        sessionsDir?: string;
      };
      /** The `agent-mux` runtime: runs through an Agent Mux gateway. */
      agentMux?: {
        /**
         * Base URL of the Agent Mux gateway (protocol version 1), e.g. `http://127.0.0.1:7878`.
         * Keep the gateway on loopback or a private network: it has no TLS and no token scopes.
         * Without it the `agent-mux` runtime is not registered.
         */
        url?: string;
        /**
         * A token the gateway issued (`agent-mux gateway tokens create`); required with `url`.
         * It only ever goes to the gateway, never into events, logs or the browser.
         * @visibility secret
         */
        token?: string;
        /**
         * The gateway agent that runs attempts, one of those `GET /api/v1/agents` lists.
         * Default `claude` (Agent Mux's Claude Code adapter; there is no `claude-code` agent).
         */
        agent?: string;
        /**
         * Seconds a run the gateway still reports as `running` may go without any event before
         * its attempt fails with `RuntimeLost`. A gateway that was killed and restarted keeps
         * such runs `running` forever. Keep it above the longest silence of a working agent
         * (a long tool call, a slow model). Default 600.
         */
        inactivitySeconds?: number;
      };
      /** The `claude-code` runtime: Claude Code (`@anthropic-ai/claude-code`) run as a CLI. */
      claudeCode?: {
        /** Register the runtime. Default false. */
        enabled?: boolean;
        /** Anthropic Messages API base URL, without `/v1`. Default: the CLI's own (Anthropic). */
        baseUrl?: string;
        /**
         * API key for the Messages API, sent as `x-api-key`.
         * @visibility secret
         */
        apiKey?: string;
        /** Exact version of the managed install. Default: the version the runtime is tested with. */
        version?: string;
        /** A `claude` executable to use instead of the managed install. */
        executable?: string;
        /** Install the pinned version on the first attempt that needs it. Default false. */
        installOnDemand?: boolean;
      };
      /** The `codex` runtime: OpenAI Codex (`@openai/codex`) run as a CLI. */
      codex?: {
        /** Register the runtime. Default false. */
        enabled?: boolean;
        /** OpenAI Responses API base URL, including `/v1`. Default `https://api.openai.com/v1`. */
        baseUrl?: string;
        /**
         * API key for the Responses API, sent as a bearer token.
         * @visibility secret
         */
        apiKey?: string;
        /** Model for stacks that name none, e.g. `gpt-5.5`. */
        model?: string;
        /** Exact version of the managed install. Default: the version the runtime is tested with. */
        version?: string;
        /** A `codex` executable (or its `bin/codex.js` launcher) instead of the managed install. */
        executable?: string;
        /** Install the pinned version on the first attempt that needs it. Default false. */
        installOnDemand?: boolean;
      };
    };
  };
}
