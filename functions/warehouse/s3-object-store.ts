import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from './object-store.ts';

/** The analytics bucket (SSE-S3 by the bucket's default encryption). `prefix` keeps the tables apart from Athena's results. */
export function s3ObjectStore(client: S3Client, bucket: string, prefix = ''): ObjectStore {
  return {
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${key}`, Body: body, ContentType: 'application/vnd.apache.parquet' }));
    },
  };
}
