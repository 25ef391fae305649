"""Party-and-people service centres and stations (党群服务中心 / 服务站)."""
