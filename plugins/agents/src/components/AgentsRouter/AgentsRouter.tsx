import { Progress } from '@backstage/core-components';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AgentsNotFoundPage } from '../AgentsNotFoundPage';
import { AgentsPage } from '../AgentsPage';
import { ApprovalsPage } from '../ApprovalsPage';
import { BudgetsPage } from '../BudgetsPage';
import { DispatchComposer } from '../DispatchComposer';
import { IdentitiesPage } from '../IdentitiesPage';
import { McpServerDetailPage } from '../McpServerDetailPage';
import { McpServersPage } from '../McpServersPage';
import { MemoryOverviewPage } from '../MemoryOverviewPage';
import { MemoryRecordPage } from '../MemoryRecordPage';
import { MemorySearchPage } from '../MemorySearchPage';
import { MemoryUpdatePage } from '../MemoryUpdatePage';
import { MemoryUpdatesPage } from '../MemoryUpdatesPage';
import { ResourcePage } from '../ResourcePage';
import { RunDetailPage } from '../RunDetailPage';
import { RuleDetailPage } from '../RuleDetailPage';
import { RulesPage } from '../RulesPage';
import { RunsPage } from '../RunsPage';
import { SecretsPage } from '../SecretsPage';
import { SessionDetailPage } from '../SessionDetailPage';
import { SessionsPage } from '../SessionsPage';
import { SkillDetailPage } from '../SkillDetailPage';
import { SkillsPage } from '../SkillsPage';
import { StackDetailPage } from '../StackDetailPage';
import { StacksPage } from '../StacksPage';
import { ToolDetailPage } from '../ToolDetailPage';
import { ToolsPage } from '../ToolsPage';
import { WorkspaceDetailPage } from '../WorkspaceDetailPage';
import { WorkspacesPage } from '../WorkspacesPage';

// The graph drawing library is large; only the graph page loads it.
const MemoryGraphPage = lazy(() =>
  import('../MemoryGraphPage').then(m => ({ default: m.MemoryGraphPage })),
);
// It draws the grant graph with the same library.
const PermissionsPage = lazy(() =>
  import('../PermissionsPage').then(m => ({ default: m.PermissionsPage })),
);

/** The Agents section: overview at its root, one route per resource page, a not-found page for the rest. */
export const AgentsRouter = () => (
  <Routes>
    <Route path="/" element={<AgentsPage />} />
    <Route path="/stacks" element={<StacksPage />} />
    <Route path="/stacks/:namespace/:name" element={<StackDetailPage />} />
    <Route path="/rules" element={<RulesPage />} />
    <Route path="/rules/:namespace/:name" element={<RuleDetailPage />} />
    <Route path="/budgets" element={<BudgetsPage />} />
    <Route path="/tools" element={<ToolsPage />} />
    <Route path="/tools/:namespace/:name" element={<ToolDetailPage />} />
    <Route path="/mcp" element={<McpServersPage />} />
    <Route path="/mcp/:namespace/:name" element={<McpServerDetailPage />} />
    <Route path="/skills" element={<SkillsPage />} />
    <Route path="/skills/:namespace/:name" element={<SkillDetailPage />} />
    <Route path="/identities" element={<IdentitiesPage />} />
    <Route path="/secrets" element={<SecretsPage />} />
    <Route
      path="/permissions"
      element={
        <Suspense fallback={<Progress />}>
          <PermissionsPage />
        </Suspense>
      }
    />
    <Route path="/runs" element={<RunsPage />} />
    <Route path="/runs/new" element={<DispatchComposer />} />
    <Route path="/runs/:name" element={<RunDetailPage />} />
    <Route path="/sessions" element={<SessionsPage />} />
    <Route path="/sessions/:namespace/:name" element={<SessionDetailPage />} />
    <Route path="/approvals" element={<ApprovalsPage />} />
    <Route path="/workspaces" element={<WorkspacesPage />} />
    <Route
      path="/workspaces/:namespace/:name"
      element={<WorkspaceDetailPage />}
    />
    <Route path="/memory" element={<MemoryOverviewPage />} />
    <Route path="/memory/search" element={<MemorySearchPage />} />
    <Route
      path="/memory/graph"
      element={
        <Suspense fallback={<Progress />}>
          <MemoryGraphPage />
        </Suspense>
      }
    />
    <Route path="/memory/records" element={<MemoryRecordPage />} />
    <Route path="/memory/updates" element={<MemoryUpdatesPage />} />
    <Route path="/memory/updates/:org/:name" element={<MemoryUpdatePage />} />
    <Route
      path="/resources/:plural/:namespace/:name"
      element={<ResourcePage />}
    />
    <Route path="*" element={<AgentsNotFoundPage />} />
  </Routes>
);
