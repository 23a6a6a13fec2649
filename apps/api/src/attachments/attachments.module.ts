import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { AppConfigService } from '../config/app-config.service.js';
import { ChatCoreModule } from '../core/chat-core.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { ATTACHMENT_STORAGE, type AttachmentStorage } from './attachment-storage.js';
import { AttachmentCleanup } from './attachment-cleanup.js';
import { FileAccess } from './file-access.js';
import { FilesController } from './files.controller.js';
import { LocalAttachmentStorage } from './local/local-attachment-storage.js';
import { UploadQuota } from './upload-quota.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsService } from './uploads.service.js';

/**
 * File attachments: uploads (POST /api/uploads), downloads (GET /api/files/:id) and the removal
 * of files nobody can reach. The bytes go to an AttachmentStorage (the local disk under
 * DATA_DIR/uploads; an S3-compatible adapter would be another provider here), their rows to the
 * chat's database. A send puts them on a message through the core (core/attachments/).
 */
@Module({
  imports: [StorageModule, AuthModule, ChatCoreModule, RedisModule],
  controllers: [UploadsController, FilesController],
  providers: [
    {
      provide: ATTACHMENT_STORAGE,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService): AttachmentStorage =>
        new LocalAttachmentStorage(join(config.get('DATA_DIR'), 'uploads')),
    },
    UploadsService,
    UploadQuota,
    FileAccess,
    AttachmentCleanup,
  ],
  exports: [AttachmentCleanup],
})
export class AttachmentsModule {}
