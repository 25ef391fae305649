// List item `i` is not withdrawn (withdraw(id:, reason:)): chosen unless the caller (an admin) asks
// for withdrawn ones too.
i.withdrawn IS NULL
