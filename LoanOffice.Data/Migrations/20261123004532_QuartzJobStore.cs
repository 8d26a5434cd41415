using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuartzJobStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Quartz.NET's clustered ADO.NET job store (qrtz_ tables), frozen from Quartz 4.7.3's own DDL
            foreach (var statement in LoanOffice.Data.Sql.SqlScripts.Statements("QuartzJobStore.sql"))
                migrationBuilder.Sql(statement);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_job_status CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_misfire_history CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_execution_history CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_locks CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_scheduler_state CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_fired_triggers CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_paused_job_grps CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_paused_trigger_grps CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_calendars CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_blob_triggers CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_simprop_triggers CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_cron_triggers CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_simple_triggers CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_triggers CASCADE");
            migrationBuilder.Sql("DROP TABLE IF EXISTS qrtz_job_details CASCADE");
        }
    }
}
