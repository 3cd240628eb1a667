package datasets

import "slices"

// SetRole makes a column (by name or 0-based index, as the flags take it)
// a feature or ignored, editing Features and Drop the way a user's flags
// would: the TUI's column dialog calls it on each key. The target is
// chosen with LoadOptions.Target, not here; RoleTarget is ignored.
func (o *TableOptions) SetRole(column string, role Role) {
	switch role {
	case RoleIgnored:
		if len(o.Features) > 0 {
			o.Features = slices.DeleteFunc(o.Features, func(s string) bool { return s == column })
			if len(o.Features) > 0 {
				return
			}
		}
		if !slices.Contains(o.Drop, column) {
			o.Drop = append(o.Drop, column)
		}
	case RoleFeature:
		o.Drop = slices.DeleteFunc(o.Drop, func(s string) bool { return s == column })
		if len(o.Features) > 0 && !slices.Contains(o.Features, column) {
			o.Features = append(o.Features, column)
		}
	}
}

// SetCategorical forces a column to be read as categories, or stops
// forcing it (its type is then detected again).
func (o *TableOptions) SetCategorical(column string, on bool) {
	o.Categorical = slices.DeleteFunc(o.Categorical, func(s string) bool { return s == column })
	if on {
		o.Categorical = append(o.Categorical, column)
	}
}
