"""metering ledger (account locks, reservations) and jobs.cost_cents

The tables are `metering.reservations`' models, written out here so this migration never changes when the
models do (a later change is a later migration).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

import store.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('metering_account_locks',
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('account_id')
    )
    op.create_table('metering_reservations',
    sa.Column('job_id', sa.String(length=40), nullable=False),
    sa.Column('account_id', sa.String(length=40), nullable=False),
    sa.Column('plan', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reserved_seconds', sa.Integer(), nullable=False),
    sa.Column('billable_seconds', sa.Integer(), nullable=True),
    sa.Column('cost_cents', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('period_start', store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('created_at', store.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', store.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('job_id')
    )
    with op.batch_alter_table('metering_reservations', schema=None) as batch_op:
        batch_op.create_index('ix_metering_reservations_account_period', ['account_id', 'period_start'], unique=False)
        batch_op.create_index('ix_metering_reservations_account_status', ['account_id', 'status'], unique=False)

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost_cents', sa.Numeric(precision=18, scale=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('cost_cents')

    with op.batch_alter_table('metering_reservations', schema=None) as batch_op:
        batch_op.drop_index('ix_metering_reservations_account_status')
        batch_op.drop_index('ix_metering_reservations_account_period')

    op.drop_table('metering_reservations')
    op.drop_table('metering_account_locks')
