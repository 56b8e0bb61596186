import { Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import type { FunctionKey } from '../app-resources.ts';
import type { AppFunctions } from './functions.ts';
import type { Auth } from './auth.ts';

export type RouteSpecs = ReadonlyArray<{ routeKey: string; function: FunctionKey; auth: 'jwt' | 'none' }>;

export interface ApiProps {
  readonly routes: RouteSpecs;
  readonly functions: AppFunctions;
  readonly auth: Auth;
  /**
   * Extra browser origins allowed to call the API directly (a dev server, say). The SPA itself
   * needs none: CloudFront serves it and /api/* from one origin.
   */
  readonly corsOrigins?: string[];
  /** Steady-state requests per second and burst for the whole stage. */
  readonly throttle?: { rateLimit: number; burstLimit: number };
  readonly logRetention?: RetentionDays;
}

// One JSON line per request; HTTP API context variables.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    sub: '$context.authorizer.claims.sub',
  }),
);

/** The HTTP API: each HTTP_ROUTES entry to its function, behind the Cognito JWT authorizer. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Sheetflow API',
      createDefaultStage: false,
      corsPreflight: props.corsOrigins?.length
        ? {
            allowOrigins: props.corsOrigins,
            allowMethods: [CorsHttpMethod.ANY],
            allowHeaders: ['authorization', 'content-type'],
          }
        : undefined,
    });

    this.stage = this.httpApi.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH }),
        ),
        format: ACCESS_LOG_FORMAT,
      },
    });

    // ID tokens carry custom:tenant and the groups; their audience is the app client.
    const authorizer = new HttpJwtAuthorizer('Cognito', props.auth.issuerUrl, {
      jwtAudience: [props.auth.client.userPoolClientId],
    });

    const integrations = new Map<FunctionKey, HttpLambdaIntegration>();
    for (const route of props.routes) {
      const [method, path] = route.routeKey.split(' ');
      if (!(method in HttpMethod) || !path) throw new Error(`bad route key '${route.routeKey}'`);
      if (!integrations.has(route.function)) {
        integrations.set(route.function, new HttpLambdaIntegration(route.function, props.functions.get(route.function)));
      }
      const httpRoute = new HttpRoute(this, route.routeKey, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(path, HttpMethod[method as keyof typeof HttpMethod]),
        integration: integrations.get(route.function)!,
        authorizer: route.auth === 'jwt' ? authorizer : undefined,
      });
      if (route.auth === 'none') {
        acknowledge(httpRoute, [
          { id: 'AwsSolutions-APIG4', reason: `${route.routeKey} is public by design (auth: 'none' in HTTP_ROUTES).` },
        ]);
      }
    }
  }

  /** The host name CloudFront forwards /api/* to. */
  get originDomainName(): string {
    const stack = Stack.of(this);
    return `${this.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }
}
