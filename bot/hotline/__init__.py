"""The hotline: cases opened from escalations, casework by counsellors, staff accounts, audit, alerts, overview."""
