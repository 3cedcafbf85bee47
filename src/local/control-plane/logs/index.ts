/** CloudWatch Logs (awsJson1_1): operation name (from X-Amz-Target) → handler. */
import {notImplemented} from '../../protocol/aws-error.ts'
import type {JsonOperation} from '../../types.ts'
import {filterLogEvents, getLogEvents, putLogEvents} from './events.ts'
import {
  createLogGroup,
  createLogStream,
  deleteLogGroup,
  deleteLogStream,
  deleteRetentionPolicy,
  describeLogGroups,
  describeLogStreams,
  listTagsForResource,
  listTagsLogGroup,
  putRetentionPolicy,
  tagLogGroup,
  tagResource,
  untagLogGroup,
  untagResource,
} from './groups.ts'

const implemented: Record<string, JsonOperation> = {
  CreateLogGroup: createLogGroup,
  DeleteLogGroup: deleteLogGroup,
  DescribeLogGroups: describeLogGroups,
  CreateLogStream: createLogStream,
  DeleteLogStream: deleteLogStream,
  DescribeLogStreams: describeLogStreams,
  PutLogEvents: putLogEvents,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
  PutRetentionPolicy: putRetentionPolicy,
  DeleteRetentionPolicy: deleteRetentionPolicy,
  ListTagsLogGroup: listTagsLogGroup,
  TagLogGroup: tagLogGroup,
  UntagLogGroup: untagLogGroup,
  ListTagsForResource: listTagsForResource,
  TagResource: tagResource,
  UntagResource: untagResource,
}

/**
 * Every other operation of the Logs API (logs-2014-03-28, as the SDK v3 client knows it): each answers 501
 * naming itself, and is listed in src/local/LIMITATIONS.md ("CloudWatch Logs").
 */
export const LOGS_NOT_IMPLEMENTED = [
  'AssociateKmsKey', 'AssociateSourceToS3TableIntegration', 'CancelExportTask', 'CancelImportTask', 'CreateDelivery',
  'CreateExportTask', 'CreateImportTask', 'CreateLogAnomalyDetector', 'CreateLookupTable', 'CreateScheduledQuery',
  'DeleteAccountPolicy', 'DeleteDataProtectionPolicy', 'DeleteDelivery', 'DeleteDeliveryDestination',
  'DeleteDeliveryDestinationPolicy', 'DeleteDeliverySource', 'DeleteDestination', 'DeleteIndexPolicy',
  'DeleteIntegration', 'DeleteLogAnomalyDetector', 'DeleteLookupTable', 'DeleteMetricFilter',
  'DeleteQueryDefinition', 'DeleteResourcePolicy', 'DeleteScheduledQuery', 'DeleteSubscriptionFilter',
  'DeleteSyslogConfiguration', 'DeleteTransformer', 'DescribeAccountPolicies', 'DescribeConfigurationTemplates',
  'DescribeDeliveries', 'DescribeDeliveryDestinations', 'DescribeDeliverySources', 'DescribeDestinations',
  'DescribeExportTasks', 'DescribeFieldIndexes', 'DescribeImportTaskBatches', 'DescribeImportTasks',
  'DescribeIndexPolicies', 'DescribeLookupTables', 'DescribeMetricFilters', 'DescribeQueries',
  'DescribeQueryDefinitions', 'DescribeResourcePolicies', 'DescribeSubscriptionFilters', 'DisassociateKmsKey',
  'DisassociateSourceFromS3TableIntegration', 'GetDataProtectionPolicy', 'GetDelivery', 'GetDeliveryDestination',
  'GetDeliveryDestinationPolicy', 'GetDeliverySource', 'GetIntegration', 'GetLogAnomalyDetector', 'GetLogFields',
  'GetLogGroupFields', 'GetLogObject', 'GetLogRecord', 'GetLookupTable', 'GetQueryResults', 'GetScheduledQuery',
  'GetScheduledQueryHistory', 'GetStorageTierPolicy', 'GetTransformer', 'ListAggregateLogGroupSummaries',
  'ListAnomalies', 'ListIntegrations', 'ListLogAnomalyDetectors', 'ListLogGroups', 'ListLogGroupsForQuery',
  'ListScheduledQueries', 'ListSourcesForS3TableIntegration', 'ListSyslogConfigurations', 'PutAccountPolicy',
  'PutBearerTokenAuthentication', 'PutDataProtectionPolicy', 'PutDeliveryDestination',
  'PutDeliveryDestinationPolicy', 'PutDeliverySource', 'PutDestination', 'PutDestinationPolicy', 'PutIndexPolicy',
  'PutIntegration', 'PutLogGroupDeletionProtection', 'PutMetricFilter', 'PutQueryDefinition', 'PutResourcePolicy',
  'PutStorageTierPolicy', 'PutSubscriptionFilter', 'PutSyslogConfiguration', 'PutTransformer', 'StartLiveTail',
  'StartQuery', 'StopQuery', 'TestMetricFilter', 'TestTransformer', 'UpdateAnomaly', 'UpdateDeliveryConfiguration',
  'UpdateLogAnomalyDetector', 'UpdateLookupTable', 'UpdateScheduledQuery',
] as const

const notImplementedOps: Record<string, JsonOperation> = Object.fromEntries(
  LOGS_NOT_IMPLEMENTED.map((op) => [
    op,
    () => {
      throw notImplemented(op)
    },
  ]),
)

export const logsOperations: Record<string, JsonOperation> = {...notImplementedOps, ...implemented}
