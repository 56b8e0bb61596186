/** Every route of the API Lambda. Tests enumerate this table, so a new route cannot be forgotten. */
import type { Route } from './router.ts';
import { recordRoutes } from './routes/records.ts';
import { fieldRoutes } from './routes/fields.ts';
import { meRoute } from './routes/me.ts';
import { changesRoute } from './routes/changes.ts';
import { convertLeadRoute } from './routes/leads.ts';
import { bulkRoute } from './routes/bulk.ts';
import { restoreRoute, trashRoute } from './routes/trash.ts';
import { searchRoute } from './routes/search.ts';
import { viewRoutes } from './routes/views.ts';
import { duplicateRoutes } from './routes/duplicates.ts';
import { importRoutes } from './routes/imports.ts';
import { exportRoute, unsavedViewExportRoute, viewExportRoute } from './routes/exports.ts';
import { administrationRoutes } from './routes/administration.ts';
import { recordNamesRoutes } from './routes/record-names.ts';
import { settingsRoutes } from './routes/settings.ts';
import { calendarRoutes } from './routes/calendars.ts';
import { taskRoutes } from './routes/tasks.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { instanceRoutes, PROCESS_SUBJECT_TYPES, processConfigRoutes, startProcessRoute } from './routes/processes.ts';
import { pipelineRoutes } from './routes/pipelines.ts';
import { dealStageMovesRoute } from './routes/deals.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { RECORD_TYPES } from '../records/record-types.ts';

export const ROUTES: readonly Route[] = [meRoute, ...administrationRoutes, ...settingsRoutes, ...calendarRoutes, changesRoute, bulkRoute, trashRoute, restoreRoute, searchRoute, ...fieldRoutes, ...viewRoutes, convertLeadRoute, dealStageMovesRoute, ...importRoutes, ...processConfigRoutes, ...pipelineRoutes, ...instanceRoutes, ...taskRoutes, ...notificationRoutes, ...analyticsRoutes, ...PROCESS_SUBJECT_TYPES.map(startProcessRoute), ...RECORD_TYPES.map(exportRoute), viewExportRoute, unsavedViewExportRoute, ...RECORD_TYPES.flatMap(duplicateRoutes), ...RECORD_TYPES.flatMap(recordNamesRoutes), ...RECORD_TYPES.flatMap(recordRoutes)];
