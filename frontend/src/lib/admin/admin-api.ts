/** The administration routes (users, teams, roles, settings, the company's name, the quick sale's configuration, audit log, the caller), parsed with the shared contracts. */
import { z } from 'zod';
import { Me } from '$contracts/auth.ts';
import { User, UserList, type InviteUserBody, type PatchUserBody } from '$contracts/users.ts';
import { Team, TeamList, type CreateTeamBody, type PatchTeamBody } from '$contracts/teams.ts';
import { Role, RoleList, type CreateRoleBody, type PatchRoleBody } from '$contracts/roles.ts';
import { AuditList } from '$contracts/audit.ts';
import { TenantSettings, type PatchSettingsBody } from '$contracts/settings.ts';
import { Tenant, type PatchTenantBody } from '$contracts/tenant.ts';
import { QuickSaleConfig, type PutQuickSaleConfigBody } from '$contracts/quick-sale.ts';
import type { ApiClient } from '../api/api-client.ts';

const NO_BODY = z.undefined();

export function adminApi(api: ApiClient) {
  return {
    me: () => api.request('GET', '/api/me', Me),
    users: async () => (await api.request('GET', '/api/users', UserList)).items,
    invite: (body: InviteUserBody) => api.request('POST', '/api/users', User, body),
    changeUser: (sub: string, body: PatchUserBody) => api.request('PATCH', `/api/users/${encodeURIComponent(sub)}`, User, body),
    resendInvitation: (sub: string) => api.request('POST', `/api/users/${encodeURIComponent(sub)}/resend-invitation`, NO_BODY, {}),
    resetPassword: (sub: string) => api.request('POST', `/api/users/${encodeURIComponent(sub)}/reset-password`, NO_BODY, {}),
    teams: async () => (await api.request('GET', '/api/teams', TeamList)).items,
    createTeam: (body: CreateTeamBody) => api.request('POST', '/api/teams', Team, body),
    changeTeam: (id: string, body: PatchTeamBody) => api.request('PATCH', `/api/teams/${id}`, Team, body),
    deleteTeam: (id: string, version: number) => api.request('DELETE', `/api/teams/${id}?version=${version}`, NO_BODY),
    roles: async () => (await api.request('GET', '/api/roles', RoleList)).items,
    createRole: (body: CreateRoleBody) => api.request('POST', '/api/roles', Role, body),
    changeRole: (id: string, body: PatchRoleBody) => api.request('PATCH', `/api/roles/${encodeURIComponent(id)}`, Role, body),
    deleteRole: (id: string, version: number) => api.request('DELETE', `/api/roles/${encodeURIComponent(id)}?version=${version}`, NO_BODY),
    settings: () => api.request('GET', '/api/settings', TenantSettings),
    changeSettings: (body: PatchSettingsBody) => api.request('PATCH', '/api/settings', TenantSettings, body),
    tenant: () => api.request('GET', '/api/tenant', Tenant),
    renameTenant: (body: PatchTenantBody) => api.request('PATCH', '/api/tenant', Tenant, body),
    quickSaleConfig: () => api.request('GET', '/api/processes/quick-sale/config', QuickSaleConfig),
    saveQuickSaleConfig: (body: PutQuickSaleConfigBody) => api.request('PUT', '/api/processes/quick-sale/config', QuickSaleConfig, body),
    audit: (before?: string) => api.request('GET', `/api/audit?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`, AuditList),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
