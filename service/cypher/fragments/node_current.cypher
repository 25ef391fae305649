// `n` is not withdrawn (withdraw(id:, reason:)): chosen for a withdrawable label unless the caller
// (an admin) asks for withdrawn ones too.
n.withdrawn IS NULL
