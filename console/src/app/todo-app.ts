import type { TagCount, Task } from '@todo/contract';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ApiClient } from '../api/client.js';
import { NotificationStore } from '../notifications/notification-store.js';
import { parseRoute, type Route, routePath } from '../router/route.js';
import '../session/auth-form.js';
import { Session } from '../session/session.js';
import type { ShortcutsDialog } from '../shortcuts/shortcuts-dialog.js';
import type { StreamEvent } from '../stream/stream-event.js';
import { type StreamStatus, TaskStream } from '../stream/task-stream.js';
import { TaskStore } from '../tasks/task-store.js';
import { TasksApi } from '../tasks/tasks-api.js';
import '../tasks/tasks-page.js';
import type { NotifyDetail, TasksPage } from '../tasks/tasks-page.js';
import { type ViewState, viewFromQuery, viewToQuery } from '../tasks/view-state.js';
import { localTimeZone } from '../time/zoned.js';
import type { NavigateEvent } from '../ui/navigate.js';
import { StoreController } from '../ui/store-controller.js';
import './app-header.js';
import type { AppHeader } from './app-header.js';
import './toast-stack.js';
import { KeyboardShortcuts } from './keyboard-shortcuts.js';
import { LazyPages } from './lazy-pages.js';
import type { ToastStack } from './toast-stack.js';

/** The shell: session gate, routing between pages, the live stream, keyboard shortcuts and toasts. */
@customElement('todo-app')
export class TodoApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    main {
      max-width: 1040px;
      margin: 0 auto;
      padding: 20px 16px 80px;
    }
    .live {
      position: fixed;
      right: 12px;
      bottom: 12px;
      font-size: 12px;
      padding: 4px 10px;
      border-radius: 999px;
      background: var(--warning-soft);
      border: 1px solid var(--warning);
      color: var(--text);
    }
    @media (max-width: 480px) {
      main {
        padding: 12px 10px 72px;
      }
    }
  `;

  private readonly timeZone = localTimeZone();
  private readonly session = new Session(localStorage);
  private readonly client = new ApiClient({
    token: () => this.session.token,
    onUnauthorized: () => this.session.signOut('expired'),
  });
  private readonly tasksApi = new TasksApi(this.client);
  private readonly tasks = new TaskStore(this.tasksApi, this.timeZone);
  private readonly notifications = new NotificationStore(this.client);
  private readonly stream = new TaskStream(
    `${this.client.baseUrl}/stream`,
    () => this.session.token,
    (e) => this.onStreamEvent(e),
    (s) => (this.streamStatus = s),
  );
  @state() private route: Route = parseRoute(location.pathname);
  @state() private view: ViewState = viewFromQuery(new URLSearchParams(location.search));
  @state() private tags: TagCount[] = [];
  @state() private streamStatus: StreamStatus = 'connecting';
  @query('tasks-page') private tasksPage?: TasksPage;
  @query('app-header') private header?: AppHeader;
  @query('toast-stack') private toasts!: ToastStack;
  @query('shortcuts-dialog') private shortcutsDialog?: ShortcutsDialog;
  private started = false;
  private readonly pages = new LazyPages(this, {
    editor: () => import('../editor/task-editor.js'),
    activity: () => import('../activity/activity-page.js'),
    settings: () => import('../settings/settings-page.js'),
  });

  constructor() {
    super();
    new StoreController(this, () => this.session);
    new KeyboardShortcuts(this, {
      signedIn: () => this.session.active,
      tasksPage: () => (this.route.page === 'tasks' ? this.tasksPage : undefined),
      showShortcuts: () => this.showShortcuts(),
      focusSearch: () => this.header?.focusSearch(),
      newTask: () => {
        if (this.route.page !== 'tasks') this.go({ page: 'tasks', taskId: null });
        this.updateComplete.then(() => this.tasksPage?.focusQuickAdd());
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    window.addEventListener('online', this.onOnline);
    this.session.addEventListener('change', this.onSessionChange);
    this.addEventListener('navigate', this.onNavigate as EventListener);
    this.addEventListener('notify', this.onNotify as EventListener);
    this.addEventListener('shortcuts', () => this.showShortcuts());
    this.onSessionChange();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    window.removeEventListener('online', this.onOnline);
    this.session.removeEventListener('change', this.onSessionChange);
    this.stream.close();
  }

  override render() {
    if (!this.session.active) {
      const mode = this.route.page === 'signup' ? 'signup' : 'login';
      return html`<auth-form .mode=${mode} .client=${this.client} .session=${this.session}></auth-form>`;
    }
    return html`<app-header
        .route=${this.route}
        .user=${this.session.user}
        .notifications=${this.notifications}
        .q=${this.view.q}
        .viewQuery=${viewToQuery(this.view).toString()}
        @search=${(e: CustomEvent<string>) => this.setView({ ...this.view, q: e.detail }, true)}
        @logout=${() => this.session.signOut('logout')}
      ></app-header>
      <main>${this.route.page === 'activity' ? this.renderActivity() : this.route.page === 'settings' ? this.renderSettings() : this.renderTasks()}</main>
      ${this.streamStatus === 'reconnecting' ? html`<div class="live" role="status">Live updates paused, reconnecting…</div>` : nothing}
      <toast-stack></toast-stack>
      <shortcuts-dialog></shortcuts-dialog>`;
  }

  private renderTasks() {
    const taskId = this.route.page === 'tasks' ? this.route.taskId : null;
    return html`<tasks-page
        .store=${this.tasks}
        .api=${this.tasksApi}
        .tags=${this.tags}
        .timeZone=${this.timeZone}
        @view-change=${(e: CustomEvent<ViewState>) => this.setView(e.detail, false)}
      ></tasks-page>
      ${
        taskId && this.pages.ready('editor')
          ? html`<task-editor
            .taskId=${taskId}
            .api=${this.tasksApi}
            .tags=${this.tags}
            @close=${this.closeEditor}
            @saved=${(e: CustomEvent<Task>) => this.afterSave(e.detail)}
            @deleted=${(e: CustomEvent<Task>) => this.tasksPage?.deleted(e.detail)}
          ></task-editor>`
          : nothing
      }`;
  }

  private renderActivity() {
    return this.pages.ready('activity')
      ? html`<activity-page .client=${this.client}></activity-page>`
      : html`<p>Loading…</p>`;
  }

  private renderSettings() {
    return this.pages.ready('settings')
      ? html`<settings-page .client=${this.client}></settings-page>`
      : html`<p>Loading…</p>`;
  }

  private onSessionChange = () => {
    if (this.session.active && !this.started) {
      this.started = true;
      if (this.route.page === 'login' || this.route.page === 'signup')
        this.go({ page: 'tasks', taskId: null }, true);
      this.tasks.load(this.view);
      this.notifications.load();
      this.loadTags();
      this.stream.connect();
    } else if (!this.session.active && this.started) {
      this.started = false;
      this.stream.close();
      this.tasks.reset();
      this.notifications.reset();
      this.tags = [];
      if (this.route.page !== 'signup') this.go({ page: 'login' }, true, false);
    }
    this.requestUpdate();
  };

  private async loadTags() {
    try {
      this.tags = await this.tasksApi.tags();
    } catch {
      // Tags only feed filters and autocomplete; the list itself reports connectivity problems.
    }
  }

  private onStreamEvent(event: StreamEvent) {
    if (event.type === 'notification') {
      this.notifications.add(event.notification);
      this.toasts?.show(`Reminder: ${event.notification.title}`, { ms: 6000 });
      return;
    }
    this.tasks.apply(event);
    if (event.type === 'task.created' || event.type === 'task.deleted') this.loadTags();
  }

  private afterSave(task: Task) {
    this.tasks.upsert(task);
    this.loadTags();
    this.toasts.show('Saved');
  }

  /** Changes the view and the URL; typing in search replaces the history entry instead of adding one. */
  private setView(view: ViewState, replace: boolean) {
    this.view = view;
    this.writeUrl(replace);
    this.tasks.load(view);
  }

  private go(route: Route, replace = false, keepQuery = true) {
    this.route = route;
    this.writeUrl(replace, keepQuery);
  }

  private writeUrl(replace: boolean, keepQuery = true) {
    const query = keepQuery && this.route.page === 'tasks' ? viewToQuery(this.view).toString() : '';
    const url = `${routePath(this.route)}${query ? `?${query}` : ''}`;
    if (url === `${location.pathname}${location.search}`) return;
    history[replace ? 'replaceState' : 'pushState'](null, '', url);
  }

  private onNavigate = (e: NavigateEvent) => {
    const url = new URL(e.path, location.href);
    this.route = parseRoute(url.pathname);
    if (this.route.page === 'tasks' && url.search !== '' && url.search !== location.search) {
      this.view = viewFromQuery(url.searchParams);
      this.tasks.load(this.view);
    }
    this.writeUrl(e.replace);
  };

  private onPopState = () => {
    this.route = parseRoute(location.pathname);
    const view = viewFromQuery(new URLSearchParams(location.search));
    if (viewToQuery(view).toString() !== viewToQuery(this.view).toString()) {
      this.view = view;
      if (this.session.active) this.tasks.load(view);
    }
  };

  private closeEditor = () => {
    this.go({ page: 'tasks', taskId: null });
    // Back to the row the editor was opened from, so keyboard users keep their place.
    this.updateComplete.then(() => this.tasksPage?.restoreFocus());
  };

  /** Back online: retry what failed instead of waiting for the user to press Retry. */
  private onOnline = () => {
    if (!this.session.active) return;
    if (this.tasks.error) this.tasks.retry();
    this.notifications.load();
    this.stream.connect();
  };

  private onNotify = ({ detail }: CustomEvent<NotifyDetail>) =>
    this.toasts?.show(
      detail.text,
      detail.retry
        ? { kind: 'error', action: { label: 'Retry', run: detail.retry } }
        : { action: detail.undo && { label: 'Undo', run: detail.undo } },
    );

  private showShortcuts() {
    import('../shortcuts/shortcuts-dialog.js').then(() => this.shortcutsDialog?.show());
  }
}
