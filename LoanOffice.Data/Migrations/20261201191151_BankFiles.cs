using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LoanOffice.Data.Migrations
{
    /// <inheritdoc />
    public partial class BankFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "BankAccountHash",
                table: "customers",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "bank_lines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BankCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    FileSha256 = table.Column<string>(type: "text", nullable: false),
                    LineNumber = table.Column<int>(type: "integer", nullable: false),
                    ValueDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    PayerAccountMasked = table.Column<string>(type: "text", nullable: false),
                    Reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Memo = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LoanId = table.Column<Guid>(type: "uuid", nullable: true),
                    Candidates = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    TransactionId = table.Column<Guid>(type: "uuid", nullable: true),
                    Refusal = table.Column<string>(type: "text", nullable: true),
                    UploadedBy = table.Column<string>(type: "text", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResolvedBy = table.Column<string>(type: "text", nullable: true),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bank_lines", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "bank_mappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Delimiter = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    HasHeader = table.Column<bool>(type: "boolean", nullable: false),
                    DateColumn = table.Column<string>(type: "text", nullable: false),
                    AmountColumn = table.Column<string>(type: "text", nullable: false),
                    AccountColumn = table.Column<string>(type: "text", nullable: false),
                    ReferenceColumn = table.Column<string>(type: "text", nullable: false),
                    MemoColumn = table.Column<string>(type: "text", nullable: true),
                    DateFormat = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bank_mappings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_customers_BankAccountHash",
                table: "customers",
                column: "BankAccountHash");

            migrationBuilder.CreateIndex(
                name: "IX_bank_lines_BankCode_Reference",
                table: "bank_lines",
                columns: new[] { "BankCode", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_bank_lines_Status",
                table: "bank_lines",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_bank_mappings_Code",
                table: "bank_mappings",
                column: "Code",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bank_lines");

            migrationBuilder.DropTable(
                name: "bank_mappings");

            migrationBuilder.DropIndex(
                name: "IX_customers_BankAccountHash",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "BankAccountHash",
                table: "customers");
        }
    }
}
