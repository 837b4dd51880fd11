import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { KubeUser } from './kubeObjects';

/** Bearer tokens the double issued, and who each stands for. */
export class Authenticator {
  private readonly users = new Map<string, KubeUser>();

  /** A new token for a user; `system:authenticated` is added as the API server does. */
  issue(username: string, groups: string[] = []): string {
    const token = randomBytes(24).toString('hex');
    const all = groups.includes('system:authenticated')
      ? groups
      : [...groups, 'system:authenticated'];
    this.users.set(token, { username, groups: all });
    return token;
  }

  authenticate(req: http.IncomingMessage): KubeUser | undefined {
    const header = req.headers.authorization ?? '';
    const match = header.match(/^Bearer\s+(.+)$/i);
    return match ? this.users.get(match[1].trim()) : undefined;
  }
}
