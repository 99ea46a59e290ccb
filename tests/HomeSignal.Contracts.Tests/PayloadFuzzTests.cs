using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HomeSignal.Contracts.Serialization;

namespace HomeSignal.Contracts.Tests;

public class PayloadFuzzTests
{
    [Property(MaxTest = 2000)]
    public bool Arbitrary_bytes_never_throw_and_are_either_valid_or_explained(byte[] payload)
    {
        var result = ContractReader.ReadEvent(payload ?? [], ContractSamples.KitId);
        return result.IsValid || !string.IsNullOrEmpty(result.Error!.Message);
    }

    [Property(MaxTest = 2000)]
    public Property A_valid_event_with_one_character_mutated_never_throws()
    {
        var valid = ContractSamples.EventJson();
        var mutations = Gen.Choose(0, valid.Length - 1).SelectMany(i => Gen.Elements('"', '{', '}', ':', ',', '0', '9', '-', 'x', ' ', '\\', '\u00e9').Select(c => (i, c)));
        return Prop.ForAll(mutations.ToArbitrary(), m =>
        {
            var chars = valid.ToCharArray();
            chars[m.i] = m.c;
            var result = ContractReader.ReadEvent(Encoding.UTF8.GetBytes(chars), ContractSamples.KitId);
            return result.IsValid || result.Error is not null;
        });
    }

    [Property(MaxTest = 500)]
    public bool Any_sequence_and_state_either_round_trip_or_are_refused(long seq, NonNull<string> state)
    {
        var evt = ContractSamples.DoorOpened(seq) with { State = state.Get };
        var result = ContractReader.ReadEvent(ContractReader.Write(evt), ContractSamples.KitId);
        return result.IsValid ? result.Value == evt : seq < 0 || state.Get is not ("open" or "closed");
    }
}
