// <notificationList>: events where the provider lost or changed access (authorization.xsd, xs:sequence).
import type { Notification } from '../types.ts';
import { buildDocument, children, compact, optText, parseDocument, text } from './codec.ts';
import { requiredId } from './common.ts';

const OPTIONAL = [
  'accountId',
  'propertyId',
  'meterId',
  'notificationCreatedDate',
  'notificationCreatedBy',
  'notificationCreatedByAccountId',
] as const;

export function parseNotificationList(xml: string): Notification[] {
  const where = 'notificationList/notification';
  return children(parseDocument(xml, 'notificationList'), 'notification').map((n) => {
    const notification: Notification = {
      notificationTypeCode: text(n, 'notificationTypeCode', where),
      notificationId: requiredId(n, 'notificationId', where),
      description: optText(n, 'description') ?? '',
      username: optText(n, 'username') ?? '',
    };
    for (const key of OPTIONAL) {
      const v = optText(n, key);
      if (v) notification[key] = v;
    }
    return notification;
  });
}

export function buildNotificationList(list: Notification[]): string {
  return buildDocument(
    'notificationList',
    compact({
      notification: list.map((n) =>
        compact({
          notificationTypeCode: n.notificationTypeCode,
          notificationId: n.notificationId,
          description: n.description,
          accountId: n.accountId,
          username: n.username,
          propertyId: n.propertyId,
          meterId: n.meterId,
          notificationCreatedDate: n.notificationCreatedDate,
          notificationCreatedBy: n.notificationCreatedBy,
          notificationCreatedByAccountId: n.notificationCreatedByAccountId,
        }),
      ),
    }),
  );
}
