/**
 * Items as the table's stream hands them over: DynamoDB JSON (`{ S: 'x' }`), read as the
 * document client reads an item, so a consumer of the stream knows items, not the SDK.
 */
import type { AttributeValue as StreamAttributeValue } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export function itemOfImage(image: Record<string, StreamAttributeValue>): Record<string, unknown> {
  return unmarshall(image as Record<string, AttributeValue>);
}
