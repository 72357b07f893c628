"""security (issue 15): test/live webhook endpoints, scheduled webhook retries

- webhook_endpoints.sandbox: an endpoint belongs to the world of the key that made it (sk_test_ → sandbox);
  sandbox jobs notify sandbox endpoints only, live jobs live ones.
- webhook_deliveries.next_attempt_at: when a pending delivery is due again. Retries are scheduled here and
  re-published by the dispatcher's sweep instead of being slept inside the Kafka consumer.

Revision ID: 0005_security
Revises: 0004
Create Date: 2026-11-30 08:40:00.000000
"""
from alembic import op
import sqlalchemy as sa

import store.types


revision = '0005_security'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sandbox', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', store.types.UtcDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_webhook_deliveries_due', ['status', 'next_attempt_at'])


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_webhook_deliveries_due')
        batch_op.drop_column('next_attempt_at')
    with op.batch_alter_table('webhook_endpoints', schema=None) as batch_op:
        batch_op.drop_column('sandbox')
