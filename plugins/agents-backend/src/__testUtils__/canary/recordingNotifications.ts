import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';

/** The notification service of a test backend, keeping what the plugin sends. */
export function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  const factory = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      send: async (options: NotificationSendOptions) => {
        sent.push(options);
      },
    }),
  });
  return { sent, factory };
}
