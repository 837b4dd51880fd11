import { Progress } from '@backstage/core-components';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AgentsNotFoundPage } from '../AgentsNotFoundPage';
import { AgentsPage } from '../AgentsPage';
import { ApprovalsPage } from '../ApprovalsPage';
import { DispatchComposer } from '../DispatchComposer';
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
import { StackDetailPage } from '../StackDetailPage';
import { StacksPage } from '../StacksPage';
import { WorkspaceDetailPage } from '../WorkspaceDetailPage';
import { WorkspacesPage } from '../WorkspacesPage';

// The graph drawing library is large; only the graph page loads it.
const MemoryGraphPage = lazy(() =>
  import('../MemoryGraphPage').then(m => ({ default: m.MemoryGraphPage })),
);

/** The Agents section: overview at its root, one route per resource page, a not-found page for the rest. */
export const AgentsRouter = () => (
  <Routes>
    <Route path="/" element={<AgentsPage />} />
    <Route path="/stacks" element={<StacksPage />} />
    <Route path="/stacks/:namespace/:name" element={<StackDetailPage />} />
    <Route path="/rules" element={<RulesPage />} />
    <Route path="/rules/:namespace/:name" element={<RuleDetailPage />} />
    <Route path="/runs" element={<RunsPage />} />
    <Route path="/runs/new" element={<DispatchComposer />} />
    <Route path="/runs/:name" element={<RunDetailPage />} />
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
