/**
 * The directory's version: one small item per tenant (`T#<tenant>#DIRECTORY` / `VERSION`) that
 * every change of a user or of a custom role adds one to, in the change's own transaction
 * (tenant-items/tenant-items.ts). A container keeps the directory it read while this number stays the
 * same (directory.ts), so a request reads one item instead of every user, and still sees a
 * role change or a deactivation made by any container at its very next request.
 */
import { callStore, getItem, tableName } from '../store/commands.ts';
import { ITEM_KINDS } from '../store/item-kinds.ts';

const key = (tenant: string) => ({ pk: ITEM_KINDS.directory.pk(tenant), sk: 'VERSION' });

/** The transaction item that moves the version on (ADD creates it at 1 in a tenant that has none). */
export function directoryVersionBump(tenant: string) {
  return {
    Update: { TableName: tableName(), Key: key(tenant), UpdateExpression: 'ADD #version :one', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':one': 1 } },
  };
}

/** The version now: one strongly consistent GetItem (0 before the tenant's first change). */
export async function readDirectoryVersion(tenant: string): Promise<number> {
  const result = await callStore('read the directory version', () => getItem({ Key: key(tenant), ConsistentRead: true }));
  return Number(result.Item?.version ?? 0);
}
