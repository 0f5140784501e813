import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PublishPurposeMessage, PurposeCommandResult, RetirePurposeMessage } from './purpose-commands';
import { PurposeCommandExecutor } from './purpose-command.executor';

@CommandHandler(PublishPurposeMessage)
export class PublishPurposeHandler implements ICommandHandler<PublishPurposeMessage, PurposeCommandResult> {
  constructor(private readonly purposes: PurposeCommandExecutor) {}

  execute(message: PublishPurposeMessage): Promise<PurposeCommandResult> {
    return this.purposes.execute(message.command);
  }
}

@CommandHandler(RetirePurposeMessage)
export class RetirePurposeHandler implements ICommandHandler<RetirePurposeMessage, PurposeCommandResult> {
  constructor(private readonly purposes: PurposeCommandExecutor) {}

  execute(message: RetirePurposeMessage): Promise<PurposeCommandResult> {
    return this.purposes.execute(message.command);
  }
}
