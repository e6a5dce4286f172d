import type { Notification, NotificationList } from '@todo/contract';
import type { ApiClient } from '../api/client.js';

/** The user's notifications and unread count; the stream pushes new ones in. Emits `change`. */
export class NotificationStore extends EventTarget {
  items: Notification[] = [];
  unread = 0;
  error: unknown = null;

  constructor(private readonly client: ApiClient) {
    super();
  }

  async load(): Promise<void> {
    try {
      const list = await this.client.get<NotificationList>('/notifications');
      this.items = list.items;
      this.unread = list.unread;
      this.error = null;
    } catch (err) {
      this.error = err;
    }
    this.changed();
  }

  /** Forgets the signed-out user's notifications. */
  reset(): void {
    this.items = [];
    this.unread = 0;
    this.error = null;
    this.changed();
  }

  /** A notification that arrived over the stream. */
  add(notification: Notification): void {
    if (this.items.some((n) => n.id === notification.id)) return;
    this.items = [notification, ...this.items];
    if (!notification.readAt) this.unread++;
    this.changed();
  }

  async markRead(id: string): Promise<void> {
    const target = this.items.find((n) => n.id === id);
    if (!target || target.readAt) return;
    await this.client.post(`/notifications/${encodeURIComponent(id)}/read`);
    this.items = this.items.map((n) => (n.id === id ? { ...n, readAt: new Date().toISOString() } : n));
    this.unread = Math.max(0, this.unread - 1);
    this.changed();
  }

  async markAllRead(): Promise<void> {
    await this.client.post('/notifications/read-all');
    const now = new Date().toISOString();
    this.items = this.items.map((n) => (n.readAt ? n : { ...n, readAt: now }));
    this.unread = 0;
    this.changed();
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
