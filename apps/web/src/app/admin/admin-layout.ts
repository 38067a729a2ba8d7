import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { AdminContext } from './admin-context';

/** The console's frame: workspace name, the sections the caller may use, a way back to chat. */
@Component({
  selector: 'app-admin-layout',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './admin-layout.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
})
export class AdminLayout {
  private readonly context = inject(AdminContext);

  protected readonly workspace = this.context.workspace;
  protected readonly sections = this.context.sections;
  protected readonly roleName = computed(() => this.workspace()?.role.name ?? '');
}
