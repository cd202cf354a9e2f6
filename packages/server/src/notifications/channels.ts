/**
 * Channels besides the in-app notification (SMS, e-mail) behind one interface. The default only logs:
 * the platform makes no network call until a real gateway is configured.
 */
export interface MessageChannel {
  readonly name: string;
  send(to: string, title: string, body: string): Promise<void>;
}

export interface SentMessage {
  channel: string;
  to: string;
  title: string;
  body: string;
}

/** Log-only channel: writes the message to the given logger (default: nowhere) and keeps the last ones. */
export class LogChannel implements MessageChannel {
  readonly sent: SentMessage[] = [];
  constructor(
    readonly name: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async send(to: string, title: string, body: string): Promise<void> {
    this.sent.push({ channel: this.name, to, title, body });
    if (this.sent.length > 100) this.sent.shift();
    this.log(`[${this.name}] → ${to}：${title}｜${body}`);
  }
}

export function defaultChannels(log?: (line: string) => void): Record<string, MessageChannel> {
  return { sms: new LogChannel("sms", log), email: new LogChannel("email", log) };
}
