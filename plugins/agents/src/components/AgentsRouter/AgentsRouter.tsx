import { Route, Routes } from 'react-router-dom';
import { AgentsPage } from '../AgentsPage';
import { StacksPage } from '../StacksPage';

/** The Agents section: overview at its root, one route per resource page. */
export const AgentsRouter = () => (
  <Routes>
    <Route path="/" element={<AgentsPage />} />
    <Route path="/stacks" element={<StacksPage />} />
  </Routes>
);
