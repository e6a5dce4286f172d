import type { TagCount, Task } from '@todo/contract';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ApiClient } from '../api/client.js';
import { describeFailure } from '../api/errors.js';
import { NotificationStore } from '../notifications/notification-store.js';
import { ProjectStore } from '../projects/project-store.js';
import type { PlacedTask } from '../projects/project-types.js';
import { ProjectsApi } from '../projects/projects-api.js';
import { parseRoute, type Route, routePath, withTask } from '../router/route.js';
import '../session/auth-form.js';
import { Session } from '../session/session.js';
import type { ShortcutsDialog } from '../shortcuts/shortcuts-dialog.js';
import type { StreamEvent } from '../stream/stream-event.js';
import { type StreamStatus, TaskStream } from '../stream/task-stream.js';
import { TaskStore } from '../tasks/task-store.js';
import { TasksApi } from '../tasks/tasks-api.js';
import '../tasks/tasks-page.js';
import { deletedWithUndo, type NotifyDetail } from '../tasks/task-undo.js';
import type { TasksPage } from '../tasks/tasks-page.js';
import { type ViewState, viewFromQuery, viewToQuery } from '../tasks/view-state.js';
import { localTimeZone } from '../time/zoned.js';
import type { NavigateEvent } from '../ui/navigate.js';
import { StoreController } from '../ui/store-controller.js';
import type { LiveView, ViewContext } from '../views/view-context.js';
import '../sidebar/app-sidebar.js';
import { COUNT_CAP } from '../sidebar/app-sidebar.js';
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
    .shell {
      display: grid;
      grid-template-columns: 232px minmax(0, 1fr);
      max-width: 1280px;
      margin: 0 auto;
    }
    main {
      min-width: 0;
      max-width: 1040px;
      padding: 20px 16px 80px;
    }
    .chat-toggle {
      position: fixed;
      right: 12px;
      bottom: 44px;
      z-index: 10;
      font: inherit;
      padding: 8px 14px;
      min-height: 36px;
      border-radius: 999px;
      color: var(--text);
      background: var(--surface);
      border: 1px solid var(--border);
      box-shadow: var(--shadow-lg);
      cursor: pointer;
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
    @media (max-width: 720px) {
      .shell {
        display: block;
      }
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
  private readonly projectsApi = new ProjectsApi(this.client);
  private readonly projects = new ProjectStore(this.projectsApi, (id) => this.countOpen(id));
  private readonly stream = new TaskStream(
    `${this.client.baseUrl}/stream`,
    () => this.session.token,
    (e) => this.onStreamEvent(e),
    (s) => (this.streamStatus = s),
  );
  @state() private route: Route = parseRoute(`${location.pathname}${location.search}`);
  @state() private view: ViewState = viewFromQuery(new URLSearchParams(location.search));
  @state() private tags: TagCount[] = [];
  @state() private streamStatus: StreamStatus = 'connecting';
  @state() private addingProject = false;
  @state() private chatOpen = false;
  /** Once opened, the chat panel stays (hidden while closed) so its conversation goes on. */
  private chatLoaded = false;
  @query('tasks-page') private tasksPage?: TasksPage;
  @query('app-header') private header?: AppHeader;
  @query('toast-stack') private toasts!: ToastStack;
  @query('shortcuts-dialog') private shortcutsDialog?: ShortcutsDialog;
  @query('main > .live-view') private liveView?: LiveView;
  private started = false;
  private readonly pages = new LazyPages(this, {
    editor: () => import('../editor/task-editor.js'),
    activity: () => import('../activity/activity-page.js'),
    settings: () => import('../settings/settings-page.js'),
    today: () => import('../views/today-page.js'),
    upcoming: () => import('../views/upcoming-page.js'),
    calendar: () => import('../views/calendar-page.js'),
    project: () => import('../projects/project-page.js'),
    consent: () => import('../oauth/consent-page.js'),
    projectDialog: () => import('../projects/project-dialog.js'),
    chat: () => import('../assistant/chat-panel.js'),
  });

  constructor() {
    super();
    new StoreController(this, () => this.session);
    new StoreController(this, () => this.projects);
    new KeyboardShortcuts(this, {
      signedIn: () => this.session.active,
      tasksPage: () => (this.route.page === 'tasks' ? this.tasksPage : undefined),
      showShortcuts: () => this.showShortcuts(),
      focusSearch: () => this.header?.focusSearch(),
      undo: () => this.toasts?.runLatest('Undo') ?? false,
      toggleChat: () => this.toggleChat(),
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
      // An app asking for access: sign in first, then the consent page shows (the route is kept).
      const lead =
        this.route.page === 'consent' ? 'Log in to review an app that asks to use your tasks.' : '';
      return html`<auth-form .mode=${mode} .lead=${lead} .client=${this.client} .session=${this.session}></auth-form>`;
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
      <div class="shell">
        <app-sidebar
          .route=${this.route}
          .projects=${this.projects}
          .tags=${this.tags}
          .viewQuery=${viewToQuery(this.view).toString()}
          @add-project=${this.addProject}
        ></app-sidebar>
        <main>${this.renderPage()}${this.renderEditor()}</main>
      </div>
      ${this.addingProject && this.pages.ready('projectDialog') ? html`<project-dialog open .api=${this.projectsApi} .projects=${this.projects} @close=${() => (this.addingProject = false)}></project-dialog>` : nothing}
      ${this.streamStatus === 'reconnecting' ? html`<div class="live" role="status">Live updates paused, reconnecting…</div>` : nothing}
      ${
        (this.chatOpen || this.chatLoaded) && this.pages.ready('chat')
          ? html`<chat-panel ?open=${this.chatOpen} .client=${this.client} @close=${this.toggleChat} @tasks-changed=${this.onChatChangedTasks}></chat-panel>`
          : nothing
      }
      ${this.chatOpen ? nothing : html`<button class="chat-toggle" type="button" aria-keyshortcuts="c" @click=${this.toggleChat}>Assistant</button>`}
      <toast-stack></toast-stack>
      <shortcuts-dialog></shortcuts-dialog>`;
  }

  private renderPage() {
    const route = this.route;
    switch (route.page) {
      case 'activity':
        return this.renderActivity();
      case 'settings':
        return this.renderSettings();
      case 'consent':
        return this.pages.ready('consent')
          ? html`<consent-page .client=${this.client} .requestId=${route.requestId}></consent-page>`
          : html`<p>Loading…</p>`;
      case 'today':
      case 'upcoming':
      case 'calendar':
        return this.lazyView(route.page);
      case 'project':
        return this.pages.ready('project')
          ? html`<project-page class="live-view" .ctx=${this.viewContext()} .projectId=${route.projectId}></project-page>`
          : html`<p>Loading…</p>`;
      default:
        return this.renderTasks();
    }
  }

  /** Today, Upcoming and the calendar: each its own chunk, fetched the first time it is shown. */
  private lazyView(page: 'today' | 'upcoming' | 'calendar') {
    if (!this.pages.ready(page)) return html`<p>Loading…</p>`;
    const ctx = this.viewContext();
    if (page === 'today') return html`<today-page class="live-view" .ctx=${ctx}></today-page>`;
    if (page === 'upcoming') return html`<upcoming-page class="live-view" .ctx=${ctx}></upcoming-page>`;
    return html`<calendar-page class="live-view" .ctx=${ctx}></calendar-page>`;
  }

  /** The projects quick add can file into: the ones this user may write to. */
  private projectChoices() {
    return this.projects.writable().map((p) => ({ id: p.id, name: p.inbox ? 'Inbox' : p.name }));
  }

  private viewContext(): ViewContext {
    return {
      tasks: this.tasksApi,
      projectsApi: this.projectsApi,
      projects: this.projects,
      timeZone: this.timeZone,
      userId: this.session.user?.id ?? '',
    };
  }

  private renderEditor() {
    const taskId = 'taskId' in this.route ? this.route.taskId : null;
    return taskId && this.pages.ready('editor')
      ? html`<task-editor
          .taskId=${taskId}
          .api=${this.tasksApi}
          .projectsApi=${this.projectsApi}
          .projects=${this.projects}
          .tags=${this.tags}
          .cached=${(id: string) => this.cachedTask(id)}
          @close=${this.closeEditor}
          @saved=${(e: CustomEvent<Task>) => this.afterSave(e.detail)}
          @subtask-added=${(e: CustomEvent<Task>) => this.showTask(e.detail)}
          @deleted=${(e: CustomEvent<Task>) => this.afterDelete(e.detail)}
        ></task-editor>`
      : nothing;
  }

  private renderTasks() {
    return html`<tasks-page
        .store=${this.tasks}
        .api=${this.tasksApi}
        .tags=${this.tags}
        .timeZone=${this.timeZone}
        .projects=${this.projectChoices()}
        @view-change=${(e: CustomEvent<ViewState>) => this.setView(e.detail, false)}
      ></tasks-page>`;
  }

  private renderActivity() {
    return this.pages.ready('activity')
      ? html`<activity-page .client=${this.client}></activity-page>`
      : html`<p>Loading…</p>`;
  }

  private renderSettings() {
    return this.pages.ready('settings')
      ? html`<settings-page .client=${this.client} .projects=${this.projectChoices().filter((p) => p.id !== this.projects.inbox?.id)}></settings-page>`
      : html`<p>Loading…</p>`;
  }

  private onSessionChange = () => {
    if (this.session.active && !this.started) {
      this.started = true;
      if (this.route.page === 'login' || this.route.page === 'signup')
        this.go({ page: 'tasks', taskId: null }, true);
      this.tasks.load(this.view);
      this.notifications.load();
      this.projects.load();
      this.loadTags();
      this.stream.connect();
    } else if (!this.session.active && this.started) {
      this.started = false;
      this.stream.close();
      this.tasks.reset();
      this.notifications.reset();
      this.projects.reset();
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
    if (event.type === 'task.deleted') this.liveView?.taskRemoved(event.id);
    else {
      this.liveView?.taskChanged(event.task);
      this.projects.noticeProject((event.task as PlacedTask).projectId);
    }
    this.projects.countsChanged(event.type === 'task.deleted');
    if (event.type === 'task.created' || event.type === 'task.deleted') this.loadTags();
  }

  /**
   * The copy of a task on screen, for the editor when the server cannot be reached: the view's (a project,
   * Today, Upcoming, the calendar), else the main list's.
   */
  private cachedTask(id: string): Task | undefined {
    return this.liveView?.cachedTask(id) ?? this.tasks.items.find((t) => t.id === id);
  }

  /** A task changed or created here: into the list and the view on screen, without waiting for the stream. */
  private showTask(task: Task) {
    this.tasks.upsert(task);
    this.liveView?.taskChanged(task);
    this.projects.countsChanged();
  }

  private afterSave(task: Task) {
    this.tasks.upsert(task);
    this.liveView?.taskChanged(task);
    this.loadTags();
    this.toasts.show('Saved');
  }

  /** The editor deleted a task: it leaves the list or view on screen, with the main list's Undo (restore from the Trash). */
  private afterDelete(task: Task) {
    this.liveView?.taskRemoved(task.id);
    if (this.tasksPage) return this.tasksPage.deleted(task);
    this.tasks.remove(task.id);
    deletedWithUndo({ host: this, api: this.tasksApi, sink: { upsert: (t) => this.showTask(t) } }, task);
  }

  /** Open tasks in a project, for the sidebar; counting stops at the first page. */
  private async countOpen(projectId: string): Promise<number> {
    const q = new URLSearchParams({ projectId, status: 'open', limit: String(COUNT_CAP) });
    const page = await this.tasksApi.list(q);
    return page.nextCursor ? COUNT_CAP : page.items.length;
  }

  private addProject = () => {
    this.addingProject = true;
  };

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
    this.route = parseRoute(`${url.pathname}${url.search}`);
    if (this.route.page === 'tasks' && url.search !== '' && url.search !== location.search) {
      this.view = viewFromQuery(url.searchParams);
      this.tasks.load(this.view);
    }
    this.writeUrl(e.replace);
  };

  private onPopState = () => {
    this.route = parseRoute(`${location.pathname}${location.search}`);
    const view = viewFromQuery(new URLSearchParams(location.search));
    if (viewToQuery(view).toString() !== viewToQuery(this.view).toString()) {
      this.view = view;
      if (this.session.active) this.tasks.load(view);
    }
  };

  private closeEditor = () => {
    this.go(withTask(this.route, null));
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
        : { action: detail.undo && { label: 'Undo', run: () => this.runUndo(detail) } },
    );

  /** Runs a toast's Undo: a task it hands back is shown where it now belongs; a failure offers Retry. */
  private async runUndo(detail: NotifyDetail) {
    try {
      const result = await detail.undo?.();
      if (result && typeof result === 'object' && 'version' in result) this.showTask(result as Task);
      if (detail.undone) this.toasts.show(detail.undone);
    } catch (err) {
      this.toasts.show(`Could not undo: ${describeFailure(err)}`, {
        kind: 'error',
        action: { label: 'Retry', run: () => this.runUndo(detail) },
      });
    }
  }

  private toggleChat = () => {
    this.chatOpen = !this.chatOpen;
    this.chatLoaded = true;
    // Opening, the panel focuses its own field once it has loaded; closing, focus goes back to the button.
    if (!this.chatOpen) {
      this.updateComplete.then(() =>
        (this.renderRoot.querySelector('.chat-toggle') as HTMLElement | null)?.focus(),
      );
    }
  };

  /** The assistant changed tasks: the list on screen and the counts are read again. */
  private onChatChangedTasks = () => {
    this.tasks.load(this.view);
    this.projects.countsChanged();
  };

  private showShortcuts() {
    import('../shortcuts/shortcuts-dialog.js').then(() => this.shortcutsDialog?.show());
  }
}
